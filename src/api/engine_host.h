// The engine host: runs one rules::Engine on its own thread over the store's engine state, feeds
// it the events that intake committed, fires its timers on the clock, applies people's actions
// on alerts, publishes rule packs, and sends every alert change to the live stream, where each
// signed-in user receives the changes of alerts whose subject they may see.
//
// Every call from a request handler is posted to the engine thread and waits for its result, so
// the engine itself stays single-threaded (rules/engine.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/locale.h"
#include "common/result.h"
#include "rules/alert.h"
#include "rules/event.h"
#include "store/rules_store.h"

namespace salesradar::server {
class SseHub;
class MetricsRegistry;
}  // namespace salesradar::server

namespace salesradar::api {

class StorePool;

// A person's action on an alert, as the cluster passes it between nodes.
struct AlertActionRequest {
  enum class Kind { kAcknowledge, kSnooze, kResolve };
  Kind kind = Kind::kAcknowledge;
  std::string alert_id;
  std::string actor;
  Timestamp until;  // kSnooze only
  std::string note;
};

// Cluster mode (api/cluster_node.h): the engine host that request handlers call runs no engine
// and passes what needs one to the node, which finds the partition that owns it.
class EngineDelegate {
 public:
  virtual ~EngineDelegate() = default;

  // Runs `action` on the engine of the alert's partition, on this node or, through the database,
  // on the node that leases it.
  virtual Result<std::vector<rules::AlertChange>> Act(const AlertActionRequest& action) = 0;
  // A new pack version is stored: the node's engines and the other nodes load it.
  virtual void PackPublished() = 0;
  // Waits until every event committed before the call has been processed, by any node.
  virtual Status Drain(std::chrono::milliseconds timeout) = 0;
  virtual size_t pending_timers() const = 0;
};

struct EngineHostOptions {
  // How often the host checks for due timers when no event arrives.
  std::chrono::milliseconds timer_poll{std::chrono::milliseconds(200)};
  // Events waiting for the engine thread; intake stops acknowledging (429) beyond this.
  size_t queue_capacity = 100'000;
  // How long the engine keeps a subject's record and owner before reading them again.
  std::chrono::seconds subject_cache_max_age{std::chrono::seconds(60)};
  // Business calendars that rule packs may name; empty: DefaultCalendarDir() (rule_support.h).
  std::string calendar_dir;

  // Cluster mode, the engine of one partition: the state of `scope` with Apply fenced by the
  // partition's lease. The host then replays nothing at start (the node hands it the partition's
  // events from the database), registers no callback gauges, and after each flush with alert
  // changes calls `on_flushed` instead of publishing them to the stream (every node tails the
  // alert outbox instead).
  std::optional<store::EngineStateScope> scope;
  std::function<void()> on_flushed;

  // Cluster mode, the host request handlers call: runs no engine, takes no events (intake only
  // appends them), and passes alert actions, drains and pack publishes to `delegate`.
  EngineDelegate* delegate = nullptr;
};

// Thread safety: every public method may be called from any thread.
class EngineHost {
 public:
  // Opens the engine state from `stores`, loads the active and older versions of every stored
  // rule pack, restores the engine, replays events stored but not yet processed (those an
  // earlier process committed and did not finish), and starts the engine thread.
  static Result<std::unique_ptr<EngineHost>> Start(StorePool& stores, const Clock& clock,
                                                   server::SseHub& stream,
                                                   server::MetricsRegistry& metrics,
                                                   EngineHostOptions options = {});
  ~EngineHost();  // stops the thread after the queued work, flushing the engine's last batch

  // Queues events that intake has durably committed. Returns false when the queue is full.
  bool Enqueue(std::vector<rules::Event> events);

  // People's actions on an unresolved alert, run on the engine thread. `actor` is the user id.
  Result<std::vector<rules::AlertChange>> Acknowledge(std::string alert_id, std::string actor,
                                                      std::string note);
  Result<std::vector<rules::AlertChange>> Snooze(std::string alert_id, std::string actor,
                                                 Timestamp until, std::string note);
  Result<std::vector<rules::AlertChange>> Resolve(std::string alert_id, std::string actor,
                                                  std::string note);

  // Checks and stores a new version of a rule pack and makes the engine use it from the next
  // event on. Returns kInvalidArgument listing the problems (file line, rule id) for a pack that
  // does not check.
  Result<store::RulePackVersion> PublishPack(std::string yaml, std::string published_by);

  // Loads the stored pack versions this host has not loaded yet (another node published them).
  Status ReloadPacks();

  // Waits until every event queued before the call has been processed. For tests and shutdown.
  Status Drain(std::chrono::milliseconds timeout);

  // Returns the name of rule `rule_id` of pack `pack_id` in its newest loaded version; empty
  // texts when the rule is unknown.
  LocalizedText RuleName(std::string_view pack_id, std::string_view rule_id) const;

  size_t queued_events() const;
  size_t pending_timers() const;

 private:
  class Impl;
  explicit EngineHost(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace salesradar::api
