// Header-only.
