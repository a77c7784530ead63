#include "ui/outboundinverses.h"

#include "relaycore/routing/roundtrip.h"
#include "relaycore/store/configstore.h"
#include "ui/backgroundstore.h"
#include "ui/draftundo.h"

namespace mailroute {

OutboundInverses::OutboundInverses(BackgroundStore *background, DraftUndo *undo, QObject *parent)
    : QObject(parent), m_background(background), m_undo(undo)
{}

void OutboundInverses::create()
{
    if (m_running)
        return;
    m_running = true;
    struct Written
    {
        Outcome outcome;
        QByteArray before;
        QByteArray after;
    };
    m_background->run(
        this,
        [](ConfigStore &store) {
            Written w;
            const RoundTripCheck check = checkRoundTrip(store.draft());
            w.outcome.conflicts = check.conflicts.size();
            w.outcome.ambiguous = check.ambiguous.size();
            if (check.missing.isEmpty())
                return w;
            const QList<UserMapping> before = store.userMappings(Area::Outbound);
            // One mapping after the other; on a refusal the ones added are
            // taken out again, so the draft is as it was.
            QStringList added;
            for (const RoundTripGap &g : check.missing) {
                const Status st = store.addUserMapping(Area::Outbound, g.inverse.source, g.inverse.target);
                if (!st) {
                    w.outcome.error =
                        QStringLiteral("%1 -> %2: %3").arg(g.inverse.source, g.inverse.target, st.error);
                    if (!added.isEmpty())
                        store.removeUserMappings(Area::Outbound, added);
                    return w;
                }
                added << g.inverse.source;
            }
            w.outcome.created = added.size();
            w.before = DraftUndo::pack(before);
            w.after = DraftUndo::pack(store.userMappings(Area::Outbound));
            BackgroundStore::trimHeap();
            return w;
        },
        [this](const Written &w) {
            m_running = false;
            if (m_undo && w.outcome.created > 0)
                m_undo->usersAdded(
                    Area::Outbound,
                    tr("Create %n Outbound inverse(s)", nullptr, static_cast<int>(w.outcome.created)),
                    w.before, w.after);
            emit finished(w.outcome);
        });
}

QString OutboundInverses::describe(const Outcome &o)
{
    if (!o.error.isEmpty())
        return tr("The Outbound inverses could not be created; the draft is unchanged: %1").arg(o.error);
    QStringList parts;
    if (o.created > 0)
        parts << tr("%n Outbound user mapping(s) created in the draft.", nullptr,
                    static_cast<int>(o.created));
    else
        parts << tr("No Outbound inverse was missing.");
    if (o.conflicts > 0)
        parts << tr("%n Inbound mapping(s) left as they are: an Outbound mapping of their target to another "
                    "address exists; change or delete it on the Outbound page.",
                    nullptr, static_cast<int>(o.conflicts));
    if (o.ambiguous > 0)
        parts << tr("%n shared target(s) left as they are: several Inbound users map to them, so replies can "
                    "leave under only one of their addresses.",
                    nullptr, static_cast<int>(o.ambiguous));
    return parts.join(QLatin1Char(' '));
}

} // namespace mailroute
