// The system zlib (zlib1g-dev), with the init macros as functions Swift can call.
#ifndef TRELLIS_CZLIB_SHIM_H
#define TRELLIS_CZLIB_SHIM_H
#include <zlib.h>

static inline int ctrellis_deflate_init(z_streamp stream, int level, int windowBits) {
    return deflateInit2(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}

static inline int ctrellis_inflate_init(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}
#endif
