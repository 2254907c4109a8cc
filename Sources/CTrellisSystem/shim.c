// Empty: everything lives in include/CTrellisSystem.h as static inline functions.
