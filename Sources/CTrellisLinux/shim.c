#include "CTrellisLinux.h"
