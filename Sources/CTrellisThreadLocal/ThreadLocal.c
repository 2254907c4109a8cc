#include "CTrellisThreadLocal.h"

__thread void *ctrellis_thread_spares CTRELLIS_TLS_MODEL = 0;
__thread void *ctrellis_enqueue_target CTRELLIS_TLS_MODEL = 0;
