// A fixed set of open Store connections shared by the request handlers. A Store is not
// thread-safe, so a handler borrows one for the duration of its work and gives it back.
//
//   SR_ASSIGN_OR_RETURN(auto store, context.stores.Acquire());
//   SR_ASSIGN_OR_RETURN(auto rows, store->ListAccounts(&principal.viewer));
//
// With SQLite every connection opens the same file in WAL mode: reads run in parallel and writes
// wait for each other through the busy timeout. With PostgreSQL each is one server connection.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/store.h"

namespace salesradar::api {

class StorePool;

// A borrowed connection, returned to the pool by the destructor. Move-only.
class StoreLease {
 public:
  StoreLease() = default;
  StoreLease(StorePool* pool, std::unique_ptr<store::Store> store);
  StoreLease(StoreLease&& other) noexcept = default;
  StoreLease& operator=(StoreLease&& other) noexcept;
  ~StoreLease();

  store::Store* operator->() const { return store_.get(); }
  store::Store& operator*() const { return *store_; }
  store::Store* get() const { return store_.get(); }

 private:
  void Release();

  StorePool* pool_ = nullptr;
  std::unique_ptr<store::Store> store_;
};

// Thread safety: Acquire() may be called from any thread.
class StorePool {
 public:
  // Opens `size` connections to `database` (a path or URL for store::Open). The first one runs
  // the migrations; the others open the migrated database. Returns the first error.
  static Result<std::unique_ptr<StorePool>> Open(const std::string& database, size_t size,
                                                 const store::OpenOptions& options = {});

  // Borrows a connection, waiting up to `timeout` for one to come back. Returns kUnavailable
  // ("all database connections are busy") when none does. A connection left in a transaction by
  // its last borrower is rolled back before it is lent again.
  Result<StoreLease> Acquire(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  size_t size() const { return size_; }
  const std::string& database() const { return database_; }

 private:
  friend class StoreLease;
  StorePool(std::string database, std::vector<std::unique_ptr<store::Store>> stores);
  void Return(std::unique_ptr<store::Store> store);

  const std::string database_;
  const size_t size_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<store::Store>> idle_;
};

}  // namespace salesradar::api
