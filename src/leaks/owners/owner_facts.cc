// Per-listener owners and liveness in SnapshotFacts (detect.h), and the per-group summary.
#include <algorithm>
#include <unordered_map>

#include "heapscope/leaks/detect.h"
#include "leaks/owners/owner_util.h"

namespace heapscope::leaks {

void AddOwnerFacts(const snapshot::Snapshot& snap, const Listener& l, SiteTable& table,
                   SnapshotFacts& facts, ListenerFact& f) {
  f.once = l.once;
  f.bound = l.bound;
  f.registration = l.registration.valid() ? l.registration : l.closure;
  f.registration_id = snap.node_id[f.registration.v];
  // Scratch reused across calls: CapturedOwners appends, this takes them out again.
  static thread_local std::vector<CapturedOwner> owners;
  owners.clear();
  CapturedOwners(snap, l.emitter, l.closure, l.bound, l.registration, owners);
  f.owners_begin = static_cast<uint32_t>(facts.owners.size());
  const char* live_evidence = nullptr;
  for (const CapturedOwner& o : owners) {
    OwnerFact of;
    of.id = snap.node_id[o.node.v];
    of.node = o.node;
    of.owner_class = table.InternName(snap.NodeName(o.node));
    of.name = table.InternName(o.name);
    of.via = o.via;
    of.depth = o.depth;
    if (std::optional<OwnerJudgement> j = JudgeOwner(snap, o.node)) {
      of.signal = static_cast<int16_t>(j->signal);
      of.verdict = j->verdict;
      if (j->verdict.state == Liveness::kDead && f.liveness != Liveness::kDead) {
        f.liveness = Liveness::kDead;
        f.liveness_evidence = j->verdict.evidence;
      } else if (j->verdict.state == Liveness::kLive && live_evidence == nullptr) {
        live_evidence = j->verdict.evidence;
      }
    }
    facts.owners.push_back(of);
  }
  f.owners_end = static_cast<uint32_t>(facts.owners.size());
  if (f.liveness != Liveness::kDead && live_evidence != nullptr) {
    f.liveness = Liveness::kLive;
    f.liveness_evidence = live_evidence;
  }
}

void CountOwnerSharing(SnapshotFacts& facts) {
  // Owners are counted once per listener (CapturedOwners lists each node once).
  std::unordered_map<uint32_t, uint32_t> count;
  count.reserve(facts.owners.size());
  for (const OwnerFact& o : facts.owners) ++count[o.id];
  for (OwnerFact& o : facts.owners) o.listeners = count[o.id];
}

GroupOwners SummarizeOwners(const SnapshotFacts& facts,
                            std::span<const ListenerFact* const> group) {
  GroupOwners g;
  std::unordered_map<std::string_view, uint32_t> evidence;  // dead evidence -> listeners
  std::unordered_map<uint32_t, uint32_t> classes;           // deciding owner class -> listeners
  for (const ListenerFact* f : group) {
    bool own = false;
    for (uint32_t i = f->owners_begin; i < f->owners_end; ++i) {
      const OwnerFact& o = facts.owners[i];
      own = own || o.listeners == 1;
      if (o.signal >= 0 && f->liveness != Liveness::kUnknown && o.verdict.state == f->liveness &&
          std::string_view(o.verdict.evidence) == f->liveness_evidence) {
        ++classes[o.owner_class];
        break;
      }
    }
    if (own) ++g.own_owners;
    switch (f->liveness) {
      case Liveness::kDead:
        ++g.dead;
        ++evidence[f->liveness_evidence];
        break;
      case Liveness::kLive:
        ++g.live;
        break;
      case Liveness::kUnknown:
        ++g.unknown;
        break;
    }
  }
  for (const auto& [text, n] : evidence) {
    // Most frequent first; ties go to the alphabetically first text (deterministic).
    if (n > g.evidence_count || (n == g.evidence_count && text < g.evidence)) {
      g.evidence = text.data();
      g.evidence_count = n;
    }
  }
  uint32_t best = 0;
  for (const auto& [cls, n] : classes) {
    if (n > best || (n == best && cls < g.owner_class)) {
      best = n;
      g.owner_class = cls;
    }
  }
  return g;
}

}  // namespace heapscope::leaks
