// Alert delivery to output plugins.
#include "output_router.h"

#include "log.h"

namespace saker::core {

OutputRouter::OutputRouter(size_t capacity, Metrics& metrics)
    : capacity_(capacity ? capacity : 1), metrics_(metrics) {
  m_drops_ = metrics_.add("outputs_queue_num_drops", MetricKind::kCounter,
                          "Alerts dropped because an output queue was full");
  m_sent_ = metrics_.add("outputs_num_sent", MetricKind::kCounter, "Alerts delivered to outputs");
  m_errors_ = metrics_.add("outputs_num_errors", MetricKind::kCounter,
                           "Alerts an output plugin failed to deliver");
}

OutputRouter::~OutputRouter() { stop(); }

void OutputRouter::add_output(PluginInstance& inst, const std::string& params) {
  auto o = std::make_unique<Output>();
  o->inst = &inst;
  o->handle = inst.open_output(params);
  Output* raw = o.get();
  o->worker = std::thread([this, raw] { work(*raw); });
  outputs_.push_back(std::move(o));
}

void OutputRouter::publish(std::shared_ptr<const AlertRecord> alert) noexcept {
  for (auto& o : outputs_) {
    std::lock_guard lock(o->mu);
    if (o->stopping) continue;
    if (o->queue.size() >= capacity_) {
      metrics_.inc(m_drops_);
      continue;
    }
    o->queue.push_back(alert);
    o->cv.notify_one();
  }
}

void OutputRouter::deliver(Output& o, const AlertRecord& a) {
  std::vector<const char*> tags, names, values;
  for (const auto& t : a.tags) tags.push_back(t.c_str());
  for (const auto& f : a.fields) {
    names.push_back(f.name.c_str());
    values.push_back(f.text.c_str());
  }
  saker_alert c{};
  c.size = sizeof(c);
  c.priority = static_cast<uint32_t>(a.priority);
  c.time = a.time;
  c.rule = a.rule.c_str();
  c.source = a.source.c_str();
  c.hostname = a.hostname.c_str();
  c.priority_name = priority_name(a.priority);
  c.message = a.message.c_str();
  c.text = a.text.c_str();
  c.json = a.json.c_str();
  c.tags = tags.data();
  c.num_tags = static_cast<uint32_t>(tags.size());
  c.num_fields = static_cast<uint32_t>(names.size());
  c.field_names = names.data();
  c.field_values = values.data();
  if (o.inst->emit(o.handle, &c) == SAKER_OK) {
    metrics_.inc(m_sent_);
  } else {
    metrics_.inc(m_errors_);
    log(LogLevel::kWarning, o.inst->name(), "output failed: " + o.inst->last_error());
  }
}

void OutputRouter::work(Output& o) {
  for (;;) {
    std::shared_ptr<const AlertRecord> a;
    {
      std::unique_lock lock(o.mu);
      o.cv.wait(lock, [&] { return o.stopping || !o.queue.empty(); });
      if (o.queue.empty()) break;  // stopping and drained
      a = std::move(o.queue.front());
      o.queue.pop_front();
    }
    deliver(o, *a);
  }
  o.inst->flush(o.handle);
}

void OutputRouter::stop() {
  for (auto& o : outputs_) {
    {
      std::lock_guard lock(o->mu);
      o->stopping = true;
    }
    o->cv.notify_all();
  }
  for (auto& o : outputs_) {
    if (o->worker.joinable()) o->worker.join();
    if (o->handle) o->inst->close_output(o->handle);
    o->handle = nullptr;
  }
}

}  // namespace saker::core
