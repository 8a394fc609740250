// A real crash: the worker runs in a child process and is killed with SIGKILL from inside the
// fake receiver while the outbox still contains messages, then a new process resumes. Every
// alert must arrive exactly once.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <map>
#include <thread>

#include "worker_fixture.h"

namespace salesradar::notify::testing {
namespace {

pid_t StartChild(const std::string& database, const std::string& key) {
  pid_t pid = fork();
  if (pid == 0) {
    execl(NOTIFY_WORKER_CHILD, NOTIFY_WORKER_CHILD, database.c_str(), key.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

std::map<std::string, int> DeliveriesByAlert(const std::vector<Arrival>& arrivals) {
  std::map<std::string, int> deliveries;
  for (const Arrival& arrival : arrivals) ++deliveries[arrival.body["entries"][0]["alert_id"].get<std::string>()];
  return deliveries;
}

bool WaitFor(const std::function<bool()>& done, std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

TEST_F(WorkerTest, SigkillMidOutboxDeliversEachOnce) {
  constexpr int kAlerts = 30;
  int64_t channel = AddChannel("webhook", {{"url", fakes_->BaseUrl() + "/webhook"}}, {{"signing_secret", "whsec"}});
  SetAddresses("department", "sales", {{0, "", "", channel, "", "zh-CN"}});
  std::vector<rules::AlertChange> changes;
  for (int i = 0; i < kAlerts; ++i) changes.push_back(DepartmentAlert(i, "sales"));
  WriteOutbox(changes);

  // The 10th request kills the worker before it can mark the row sent.
  std::atomic<pid_t> child{0};
  std::atomic<int> seen{0};
  fakes_->OnArrival([&](const Arrival&) {
    if (++seen == 10) kill(child.load(), SIGKILL);
  });

  child = StartChild(database_, dir_ + "/secret.key");
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child.load());
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_EQ(WTERMSIG(status), SIGKILL);
  EXPECT_GE(fakes_->Arrivals().size(), 10u);
  EXPECT_LT(fakes_->Arrivals().size(), static_cast<size_t>(kAlerts));

  pid_t restarted = StartChild(database_, dir_ + "/secret.key");
  child = restarted;
  bool all = WaitFor([&] { return DeliveriesByAlert(fakes_->Arrivals()).size() == static_cast<size_t>(kAlerts); }, std::chrono::seconds(20));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // room for a wrong second delivery
  kill(restarted, SIGTERM);
  waitpid(restarted, &status, 0);

  ASSERT_TRUE(all);
  std::map<std::string, int> deliveries = DeliveriesByAlert(fakes_->Arrivals());
  ASSERT_EQ(deliveries.size(), static_cast<size_t>(kAlerts));
  for (const auto& [alert, count] : deliveries) EXPECT_EQ(count, 1) << alert;
  EXPECT_EQ(Messages("unknown").size(), 1u);  // the 10th: it arrived, so it is not resent
}

}  // namespace
}  // namespace salesradar::notify::testing
