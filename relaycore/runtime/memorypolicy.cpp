// memorypolicy.h: glibc's mallopt(), malloc_trim() and mallinfo2().
#include "relaycore/runtime/memorypolicy.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace mailroute::memorypolicy {

bool useFixedMmapThreshold()
{
#if defined(__GLIBC__)
    // Setting the threshold also switches off its growth (and that of the
    // trim threshold, which stays at its 128 KiB default).
    return mallopt(M_MMAP_THRESHOLD, kMmapThresholdBytes) == 1;
#else
    return false;
#endif
}

bool returnFreedMemory()
{
#if defined(__GLIBC__)
    return malloc_trim(0) == 1;
#else
    return false;
#endif
}

std::size_t mmappedBytes()
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
    return mallinfo2().hblkhd;
#else
    return 0;
#endif
}

} // namespace mailroute::memorypolicy
