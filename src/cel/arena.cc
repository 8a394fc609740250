#include "cel/arena.h"

#include <new>

namespace salesradar::cel {

void* Arena::AllocateSlow(size_t size, size_t align) {
  // The inline buffer is used first, lazily, so that a default-constructed Arena costs nothing.
  if (cursor_ == nullptr && blocks_ == nullptr && size + align <= kInlineBytes) {
    cursor_ = inline_;
    limit_ = inline_ + kInlineBytes;
    return Allocate(size, align);
  }

  size_t block_size = heap_bytes_ == 0 ? 16384 : heap_bytes_;
  if (block_size < size + align + sizeof(Block)) block_size = size + align + sizeof(Block);
  if (heap_bytes_ + block_size > max_bytes_) return nullptr;

  auto* block = static_cast<Block*>(::operator new(block_size, std::nothrow));
  if (block == nullptr) return nullptr;
  block->next = blocks_;
  block->size = block_size;
  blocks_ = block;
  heap_bytes_ += block_size;
  cursor_ = reinterpret_cast<char*>(block + 1);
  limit_ = reinterpret_cast<char*>(block) + block_size;
  return Allocate(size, align);
}

void Arena::FreeBlocks() {
  while (blocks_ != nullptr) {
    Block* next = blocks_->next;
    ::operator delete(blocks_);
    blocks_ = next;
  }
}

}  // namespace salesradar::cel
