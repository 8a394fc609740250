// A bump allocator for the values that one evaluation creates: lists, maps, strings and errors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <string_view>
#include <type_traits>
#include <utility>

namespace salesradar::cel {

// Hands out memory from an inline buffer first and from heap blocks after that; frees
// everything at once on Reset() or destruction. Objects placed here are never destroyed, so
// only trivially destructible types may be created with New().
//
// Not thread-safe: one evaluation at a time uses one Arena.
class Arena {
 public:
  // Bytes served from the inline buffer before the first heap block.
  static constexpr size_t kInlineBytes = 4096;
  // Default cap on the heap blocks of one arena; Allocate() returns nullptr past it.
  static constexpr size_t kDefaultMaxBytes = size_t{64} << 20;

  explicit Arena(size_t max_bytes = kDefaultMaxBytes) : max_bytes_(max_bytes) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  ~Arena() { FreeBlocks(); }

  // Returns `size` bytes aligned to `align` (a power of two), or nullptr when the cap is
  // reached.
  void* Allocate(size_t size, size_t align = alignof(std::max_align_t)) {
    uintptr_t p = (reinterpret_cast<uintptr_t>(cursor_) + align - 1) & ~(uintptr_t{align} - 1);
    if (cursor_ != nullptr && p + size <= reinterpret_cast<uintptr_t>(limit_)) {
      cursor_ = reinterpret_cast<char*>(p + size);
      return reinterpret_cast<void*>(p);
    }
    return AllocateSlow(size, align);
  }

  // Constructs a T in the arena; nullptr when the cap is reached.
  template <typename T, typename... Args>
  T* New(Args&&... args) {
    static_assert(std::is_trivially_destructible_v<T>, "arena objects are never destroyed");
    void* p = Allocate(sizeof(T), alignof(T));
    return p == nullptr ? nullptr : new (p) T(std::forward<Args>(args)...);
  }

  // Returns uninitialised storage for `n` objects of T; nullptr when the cap is reached.
  template <typename T>
  T* AllocateArray(size_t n) {
    static_assert(std::is_trivially_destructible_v<T>, "arena objects are never destroyed");
    if (n > max_bytes_ / sizeof(T) + 1) return nullptr;
    return static_cast<T*>(Allocate(sizeof(T) * (n == 0 ? 1 : n), alignof(T)));
  }

  // Copies `text` into the arena and returns a view of the copy. When the cap is reached the
  // view's data() is nullptr.
  std::string_view CopyString(std::string_view text) {
    char* p = static_cast<char*>(Allocate(text.size() + 1, 1));
    if (p == nullptr) return std::string_view(nullptr, 0);
    if (!text.empty()) std::memcpy(p, text.data(), text.size());
    p[text.size()] = '\0';
    return std::string_view(p, text.size());
  }

  // Releases every heap block and makes the inline buffer available again.
  void Reset() {
    FreeBlocks();
    cursor_ = nullptr;
    limit_ = nullptr;
    heap_bytes_ = 0;
  }

  // Bytes taken from the heap so far, for tests and limits.
  size_t heap_bytes() const { return heap_bytes_; }

 private:
  struct Block {
    Block* next;
    size_t size;
  };

  void* AllocateSlow(size_t size, size_t align);
  void FreeBlocks();

  alignas(std::max_align_t) char inline_[kInlineBytes];
  char* cursor_ = nullptr;
  char* limit_ = nullptr;
  Block* blocks_ = nullptr;
  size_t heap_bytes_ = 0;
  size_t max_bytes_;
};

}  // namespace salesradar::cel
