// Empty: everything lives in the header as static inline functions.
