#include "api/store_pool.h"

#include <utility>

#include "common/error.h"
#include "common/logging.h"

namespace salesradar::api {

StoreLease::StoreLease(StorePool* pool, std::unique_ptr<store::Store> store)
    : pool_(pool), store_(std::move(store)) {}

StoreLease& StoreLease::operator=(StoreLease&& other) noexcept {
  if (this != &other) {
    Release();
    pool_ = std::exchange(other.pool_, nullptr);
    store_ = std::move(other.store_);
  }
  return *this;
}

StoreLease::~StoreLease() { Release(); }

void StoreLease::Release() {
  if (pool_ != nullptr && store_ != nullptr) {
    pool_->Return(std::move(store_));
  }
  pool_ = nullptr;
}

Result<std::unique_ptr<StorePool>> StorePool::Open(const std::string& database, size_t size,
                                                   const store::OpenOptions& options) {
  if (size == 0) {
    return InvalidArgument("数据库连接数必须至少为 1", "the database pool size must be at least 1");
  }

  std::vector<std::unique_ptr<store::Store>> stores;
  stores.reserve(size);
  for (size_t i = 0; i < size; ++i) {
    SR_ASSIGN_OR_RETURN(auto store, store::Open(database, options));
    stores.push_back(std::move(store));
  }
  return std::unique_ptr<StorePool>(new StorePool(database, std::move(stores)));
}

StorePool::StorePool(std::string database, std::vector<std::unique_ptr<store::Store>> stores)
    : database_(std::move(database)), size_(stores.size()), idle_(std::move(stores)) {}

Result<StoreLease> StorePool::Acquire(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (!returned_.wait_for(lock, timeout, [this] { return !idle_.empty(); })) {
    return Unavailable("数据库连接全部繁忙，请稍后重试",
                       "all database connections are busy; retry later");
  }

  std::unique_ptr<store::Store> store = std::move(idle_.back());
  idle_.pop_back();
  lock.unlock();

  if (store->InTransaction()) {
    Logger("api")->warn("store pool: a borrower left a transaction open; rolling it back");
    Status rolled_back = store->Rollback();
    if (!rolled_back.ok()) {
      Logger("api")->error("store pool: rollback failed: {}", rolled_back.error().ToLogString());
    }
  }
  return StoreLease(this, std::move(store));
}

void StorePool::Return(std::unique_ptr<store::Store> store) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(store));
  }
  returned_.notify_one();
}

}  // namespace salesradar::api
