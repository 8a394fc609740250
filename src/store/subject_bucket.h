// Subjects hash into a fixed number of buckets, and a cluster of nodes shares the buckets out as
// partitions (docs/operations.md). Events and engine state rows store their bucket, so that a
// node reads only the rows of the partitions it leases. The hash never changes: stored buckets
// depend on it.
#pragma once

#include <string_view>
#include <vector>

namespace salesradar::store {

inline constexpr int kSubjectBuckets = 1024;

// Returns the bucket of a subject, in [0, kSubjectBuckets): FNV-1a (64 bit) of
// "<type>\x1f<id>" modulo kSubjectBuckets.
int SubjectBucket(std::string_view subject_type, std::string_view subject_id);

// Returns the partition of a bucket in a cluster of `partition_count` partitions.
inline int PartitionOfBucket(int bucket, int partition_count) { return bucket % partition_count; }

// Returns the buckets of `partition` ascending. REQUIRES: 1 <= partition_count <= kSubjectBuckets
// and 0 <= partition < partition_count.
std::vector<int> PartitionBuckets(int partition, int partition_count);

}  // namespace salesradar::store
