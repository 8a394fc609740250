#include "store/subject_bucket.h"

#include <cstdint>

namespace salesradar::store {
namespace {

constexpr uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;

uint64_t Mix(uint64_t hash, std::string_view bytes) {
  for (unsigned char byte : bytes) {
    hash ^= byte;
    hash *= kFnvPrime;
  }
  return hash;
}

}  // namespace

int SubjectBucket(std::string_view subject_type, std::string_view subject_id) {
  uint64_t hash = Mix(kFnvOffset, subject_type);
  hash = Mix(hash, "\x1f");
  hash = Mix(hash, subject_id);
  return static_cast<int>(hash % kSubjectBuckets);
}

std::vector<int> PartitionBuckets(int partition, int partition_count) {
  std::vector<int> buckets;
  for (int bucket = partition; bucket < kSubjectBuckets; bucket += partition_count) {
    buckets.push_back(bucket);
  }
  return buckets;
}

}  // namespace salesradar::store
