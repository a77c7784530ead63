#include "ui/draftundo.h"

#include "relaycore/csv/usercsvcodec.h"
#include "relaycore/routing/mailaddress.h"
#include "relaycore/store/configstore.h"
#include "ui/backgroundstore.h"

#include <QAction>
#include <QTimer>
#include <QUndoCommand>
#include <QUndoStack>

#include <utility>

namespace mailroute {

// One step. Recorded after the page wrote it, so the first redo() is the
// write that already happened. `forward` and `backward` write the draft and
// then call the owner's draftChanged() or reportFailure() (a user list
// restore does so later, from the worker's result).
class DraftCommand final : public QUndoCommand
{
public:
    using Step = std::function<void()>;
    DraftCommand(const QString &text, Step forward, Step backward)
        : m_forward(std::move(forward)), m_backward(std::move(backward))
    {
        setText(text);
    }
    void redo() override
    {
        if (std::exchange(m_first, false))
            return;
        m_forward();
    }
    void undo() override { m_backward(); }

private:
    Step m_forward;
    Step m_backward;
    bool m_first = true;
};

namespace {

QString errorOf(const Status &st)
{
    return st ? QString() : st.error;
}

QString errorOf(const Result<qint64> &r)
{
    return r ? QString() : r.error;
}

} // namespace

DraftUndo::DraftUndo(ConfigStore *store, BackgroundStore *background, QObject *parent)
    : QObject(parent), m_store(store), m_background(background), m_stack(new QUndoStack(this))
{
    setObjectName(QStringLiteral("draftUndo"));
    m_stack->setUndoLimit(kUndoLimit);
    m_undo = m_stack->createUndoAction(this, tr("&Undo"));
    m_undo->setObjectName(QStringLiteral("undoAction"));
    m_undo->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Z)});
    m_undo->setStatusTip(
        tr("Undo the last change to the draft mappings (the history starts again at each push)"));
    m_redo = m_stack->createRedoAction(this, tr("&Redo"));
    m_redo->setObjectName(QStringLiteral("redoAction"));
    m_redo->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    m_redo->setStatusTip(tr("Redo the change to the draft mappings that was undone last"));
}

void DraftUndo::clear()
{
    m_stack->clear();
}

void DraftUndo::setActiveGeneration(std::optional<qint64> generation)
{
    if (m_activeGeneration && *m_activeGeneration != generation)
        clear();
    m_activeGeneration = generation;
}

// After a step's write: the pages reload the draft, or say why it failed.
void DraftUndo::finish(Area area, const QString &error)
{
    if (error.isEmpty())
        emit draftChanged(area);
    else
        reportFailure(area, error);
}

void DraftUndo::reportFailure(Area area, const QString &error)
{
    emit failed(area, error);
    // Not from inside QUndoStack::undo()/redo(): the stack is still working.
    QTimer::singleShot(0, this, &DraftUndo::clear);
}

void DraftUndo::domainAdded(Area area, const DomainMapping &added)
{
    m_stack->push(new DraftCommand(
        tr("Create domain mapping %1 → %2").arg(displayDomain(added.source), displayDomain(added.target)),
        [this, area, added] {
            finish(area, errorOf(m_store->addDomainMapping(area, added.source, added.target)));
        },
        [this, area, added] { finish(area, errorOf(m_store->removeDomainMappings(area, {added.source}))); }));
}

void DraftUndo::domainEdited(Area area, const DomainMapping &before, const DomainMapping &after)
{
    m_stack->push(new DraftCommand(
        tr("Edit domain mapping %1").arg(displayDomain(before.source)),
        [this, area, before, after] {
            finish(area,
                   errorOf(m_store->updateDomainMapping(area, before.source, after.source, after.target)));
        },
        [this, area, before, after] {
            finish(area,
                   errorOf(m_store->updateDomainMapping(area, after.source, before.source, before.target)));
        }));
}

void DraftUndo::domainsRemoved(Area area, const QList<DomainMapping> &removed)
{
    if (removed.isEmpty())
        return;
    QStringList sources;
    for (const DomainMapping &m : removed)
        sources << m.source;
    m_stack->push(new DraftCommand(
        tr("Delete %n domain mapping(s)", nullptr, static_cast<int>(removed.size())),
        [this, area, sources] { finish(area, errorOf(m_store->removeDomainMappings(area, sources))); },
        [this, area, removed] {
            // A few hundred at most: one by one; the first refusal stops.
            QString error;
            for (const DomainMapping &m : removed) {
                error = errorOf(m_store->addDomainMapping(area, m.source, m.target));
                if (!error.isEmpty())
                    break;
            }
            finish(area, error);
        }));
}

void DraftUndo::userAdded(Area area, const UserMapping &added)
{
    m_stack->push(new DraftCommand(
        tr("Create user mapping %1 → %2").arg(added.source, added.target),
        [this, area, added] {
            finish(area, errorOf(m_store->addUserMapping(area, added.source, added.target)));
        },
        [this, area, added] { finish(area, errorOf(m_store->removeUserMappings(area, {added.source}))); }));
}

void DraftUndo::userEdited(Area area, const UserMapping &before, const UserMapping &after)
{
    m_stack->push(new DraftCommand(
        tr("Edit user mapping %1").arg(before.source),
        [this, area, before, after] {
            finish(area,
                   errorOf(m_store->updateUserMapping(area, before.source, after.source, after.target)));
        },
        [this, area, before, after] {
            finish(area,
                   errorOf(m_store->updateUserMapping(area, after.source, before.source, before.target)));
        }));
}

QByteArray DraftUndo::snapshotUsers(Area area) const
{
    return pack(m_store->userMappings(area));
}

void DraftUndo::usersRemoved(Area area, const QStringList &sources, const QByteArray &before)
{
    if (sources.isEmpty())
        return;
    m_stack->push(new DraftCommand(
        tr("Delete %n user mapping(s)", nullptr, static_cast<int>(sources.size())),
        [this, area, sources] { finish(area, errorOf(m_store->removeUserMappings(area, sources))); },
        [this, area, before] { restoreUsers(area, before); }));
}

void DraftUndo::usersRemoved(Area area, const QList<UserMapping> &removed)
{
    if (removed.isEmpty())
        return;
    QStringList sources;
    for (const UserMapping &m : removed)
        sources << m.source;
    m_stack->push(new DraftCommand(
        tr("Delete %n user mapping(s)", nullptr, static_cast<int>(removed.size())),
        [this, area, sources] { finish(area, errorOf(m_store->removeUserMappings(area, sources))); },
        [this, area, removed] {
            QString error;
            for (const UserMapping &m : removed) {
                error = errorOf(m_store->addUserMapping(area, m.source, m.target));
                if (!error.isEmpty())
                    break;
            }
            finish(area, error);
        }));
}

void DraftUndo::beginImport(Area area)
{
    const int i = areaIndex(area);
    m_importBeforeReady[i] = false;
    m_importBefore[i].clear();
    ++m_running;
    // Posted before the import dialog's own tasks, so it reads the list as
    // it was (the worker runs tasks in order).
    m_background->run(
        this,
        [area](ConfigStore &store) {
            QByteArray packed = pack(store.userMappings(area));
            BackgroundStore::trimHeap();
            return packed;
        },
        [this, i](QByteArray packed) {
            --m_running;
            m_importBefore[i] = std::move(packed);
            m_importBeforeReady[i] = true;
        });
}

void DraftUndo::importDone(Area area)
{
    const int i = areaIndex(area);
    if (!m_importBeforeReady[i])
        return; // not begun here: no step to record
    QByteArray before = std::exchange(m_importBefore[i], {});
    m_importBeforeReady[i] = false;
    ++m_running;
    m_background->run(
        this,
        [area](ConfigStore &store) {
            QByteArray packed = pack(store.userMappings(area));
            BackgroundStore::trimHeap();
            return packed;
        },
        [this, area, before = std::move(before)](QByteArray after) {
            --m_running;
            m_stack->push(new DraftCommand(
                tr("Upload CSV (%1 user list)").arg(areaTitle(area)),
                [this, area, after] { restoreUsers(area, after); },
                [this, area, before] { restoreUsers(area, before); }));
        });
}

void DraftUndo::usersAdded(Area area, const QString &text, const QByteArray &before, const QByteArray &after)
{
    m_stack->push(new DraftCommand(
        text, [this, area, after] { restoreUsers(area, after); },
        [this, area, before] { restoreUsers(area, before); }));
    emit draftChanged(area);
}

void DraftUndo::restoreUsers(Area area, const QByteArray &packed)
{
    ++m_running;
    m_background->run(
        this,
        [area, packed](ConfigStore &store) {
            ImportPlan plan;
            plan.area = area;
            plan.parsed.rows = unpack(packed);
            if (!packed.isEmpty() && plan.parsed.rows.isEmpty())
                return DraftUndo::tr("the saved user list could not be read");
            const Status st = store.applyImport(plan);
            plan = {};
            BackgroundStore::trimHeap();
            return errorOf(st);
        },
        [this, area](const QString &error) {
            --m_running;
            if (error.isEmpty())
                emit draftChanged(area);
            else
                reportFailure(area, error);
        });
}

QByteArray DraftUndo::pack(const QList<UserMapping> &rows)
{
    if (rows.isEmpty())
        return {};
    return qCompress(UserCsvCodec::write(rows), 6);
}

QList<UserMapping> DraftUndo::unpack(const QByteArray &packed)
{
    if (packed.isEmpty())
        return {};
    const CsvParseResult parsed = UserCsvCodec::parse(qUncompress(packed));
    return parsed.ok() ? parsed.rows : QList<UserMapping>{};
}

} // namespace mailroute
