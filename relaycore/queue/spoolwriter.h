// A second connection to a spool the relay engine has open, for the spool
// commit's own thread (docs/architecture.md "Two data paths"): it stores the
// batches and writes the delivery results while the engine thread goes on
// reading and parsing sessions. The engine's Spool holds spool.lock, ran the
// schema upgrade and the recovery; this connection does none of that, it only
// stores and updates. It keeps no state of its
// own beyond the connection: the engine reserves every queue id
// (Spool::reserveQueueId()) before a message reaches it, and row ids come from
// SQLite (AUTOINCREMENT), so two connections never hand out the same one.
//
// Threads: construct it anywhere, then open(), store(), update() and close() (or
// destroy it) on ONE thread, like a Spool. The two connections wait for each
// other's write transactions (busy timeout), never fail on them.
#pragma once

#include "relaycore/queue/spool.h"

namespace mailroute {

class SpoolWriter final
{
public:
    // `engine`: the engine's open Spool (Role::Engine), which must stay open
    // while this writer is; its directory and clock are used.
    explicit SpoolWriter(const Spool &engine);
    Q_DISABLE_COPY_MOVE(SpoolWriter)

    // On the thread that stores.
    Status open();
    void close();
    bool isOpen() const { return m_spool.isOpen(); }

    // Spool::store(): one transaction with one sync per batch.
    Result<QList<QueuedMessage>> store(const QList<IncomingMessage> &batch) { return m_spool.store(batch); }
    // Spool::update(): delivery results, without a sync of their own.
    Status update(const QList<RecipientUpdate> &updates) { return m_spool.update(updates); }

private:
    Spool m_spool;
};

} // namespace mailroute
