// "Create the Outbound inverse" (issue 15 item 3): adds to the draft's
// Outbound user list every inverse the round-trip rule finds missing
// (relaycore/routing/roundtrip.h), on the store's worker thread, as one step
// of the undo history. Conflicts with existing Outbound rules and merges are
// counted, never overwritten. Main (GUI) thread.
#pragma once

#include <QObject>
#include <QString>

namespace mailroute {

class BackgroundStore;
class DraftUndo;

class OutboundInverses final : public QObject
{
    Q_OBJECT
public:
    struct Outcome
    {
        qsizetype created = 0;
        qsizetype conflicts = 0; // Outbound rules of a target that go elsewhere: left alone
        qsizetype ambiguous = 0; // targets shared by several Inbound sources: left alone
        QString error;           // empty: written (or nothing to do)
    };

    // `undo` may be null: then no step is recorded.
    OutboundInverses(BackgroundStore *background, DraftUndo *undo, QObject *parent = nullptr);

    // Reads the draft, adds the missing inverses, then finished(). Ignored
    // while one is running.
    void create();
    bool isRunning() const { return m_running; }

    // One sentence for a banner or the push dialog: what was done and what not.
    static QString describe(const Outcome &outcome);

signals:
    void finished(const mailroute::OutboundInverses::Outcome &outcome);

private:
    BackgroundStore *m_background;
    DraftUndo *m_undo;
    bool m_running = false;
};

} // namespace mailroute
