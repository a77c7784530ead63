// How the relay's process hands memory back to the system (issue 17: "memory
// returned after" large messages and busy periods). glibc's allocator keeps
// what a program frees: a freed block of 128 KiB or more raises its
// threshold for mmap() up to the block's size (up to 32 MiB), so the next
// large buffers come from the heap and stay there; and every thread's arena
// keeps its free chunks. Two measures, both no-ops without glibc:
// - useFixedMmapThreshold() at the start of a long-running relay process
//   (mailroutectl serve), before its threads exist: blocks of
//   kMmapThresholdBytes and more are always mmap()ed, so freeing one gives
//   its pages back at once, however large the blocks before it were;
// - returnFreedMemory() when the relay has gone quiet (RelayHousekeeper):
//   malloc_trim(0) gives back the free pages of every arena.
#pragma once

#include <cstddef>

namespace mailroute::memorypolicy {

inline constexpr int kMmapThresholdBytes = 128 * 1024; // glibc's starting value, kept fixed

// True when the allocator took the setting (always false without glibc).
bool useFixedMmapThreshold();

// Gives the allocator's free pages back to the system; true when some were.
bool returnFreedMemory();

// Bytes the allocator holds in mmap()ed blocks (0 without glibc).
std::size_t mmappedBytes();

} // namespace mailroute::memorypolicy
