// Undo and redo for the console's edits of the draft mappings (issue 12,
// "Conventions"): adding, editing and deleting domain and user mappings of
// each area, and a CSV upload as one step. Edit ▸ Undo (Ctrl+Z) and Redo
// (Ctrl+Shift+Z). The history covers the draft only: a push or a rollback
// ends it (clear()), since what is active cannot be undone this way.
//
// Each change is recorded after the page wrote it to the draft, so the first
// redo() of a command does nothing. Undo writes the inverse through the same
// ConfigStore calls: an added mapping is removed, an edited one gets its old
// source and target back, deleted domain mappings are added again, and so are
// deleted user mappings whose rows are known (up to kMaxRowsReAdded selected
// rows); other user-list steps (checked rows, uploads) are restored from
// a compressed CSV snapshot of the whole list, in one transaction on the
// BackgroundStore worker (ConfigStore::applyImport), so a million-row list
// comes back exactly.
// A step that cannot be applied any more (another process changed the same
// rows) reports failed() and ends the history. Main (GUI) thread.
#pragma once

#include "relaycore/routing/area.h"
#include "relaycore/routing/configdata.h"

#include <QByteArray>
#include <QObject>

#include <functional>
#include <optional>

class QAction;
class QUndoStack;

namespace mailroute {

class BackgroundStore;
class ConfigStore;

class DraftUndo final : public QObject
{
    Q_OBJECT
public:
    static constexpr int kUndoLimit = 100;
    // Deleted user mappings up to this many are added back one by one on
    // undo; more are restored from a snapshot of the whole list.
    static constexpr int kMaxRowsReAdded = 500;

    DraftUndo(ConfigStore *store, BackgroundStore *background, QObject *parent = nullptr);

    QUndoStack *stack() const { return m_stack; }
    // Edit ▸ Undo / Redo, with their shortcuts and the name of the step.
    QAction *undoAction() const { return m_undo; }
    QAction *redoAction() const { return m_redo; }

    // Changes already written to the draft by the page.
    void domainAdded(Area area, const DomainMapping &added);
    void domainEdited(Area area, const DomainMapping &before, const DomainMapping &after);
    void domainsRemoved(Area area, const QList<DomainMapping> &removed);
    void userAdded(Area area, const UserMapping &added);
    void userEdited(Area area, const UserMapping &before, const UserMapping &after);
    // Call BEFORE removing: reads the area's list (GUI thread) for the undo.
    // Returns the snapshot to hand to usersRemoved() once the removal worked.
    QByteArray snapshotUsers(Area area) const;
    void usersRemoved(Area area, const QStringList &sources, const QByteArray &before);
    // Deleted rows known with their targets (a few selected rows): no snapshot.
    void usersRemoved(Area area, const QList<UserMapping> &removed);
    // A CSV upload: beginImport() before the import dialog posts its work
    // (the snapshot is read on the worker first, in order), importDone()
    // after it applied; the step is on the stack once the list after the
    // import is read too (isBusy() meanwhile).
    void beginImport(Area area);
    void importDone(Area area);
    // Mappings added to a user list by a console action in one go (the
    // Outbound inverses of the round-trip rule): `before` and `after` are
    // pack()ed lists read on the worker around the write. Records the step
    // `text` and emits draftChanged(area), so the pages re-read.
    void usersAdded(Area area, const QString &text, const QByteArray &before, const QByteArray &after);

    // Undo/redo of user lists run on the worker: true until they are written.
    bool isBusy() const { return m_running > 0; }
    // The history ends (after a push, a rollback, or a failed step).
    void clear();
    // The active generation as last read: a change (a push or rollback by
    // mailroutectl or another console) ends the history as well.
    void setActiveGeneration(std::optional<qint64> generation);

    // Compressed CSV of a user list, and back (exact: UserCsvCodec round trip).
    static QByteArray pack(const QList<UserMapping> &rows);
    static QList<UserMapping> unpack(const QByteArray &packed);

signals:
    // An undo or redo wrote the draft of `area`: pages re-read, counts update.
    void draftChanged(mailroute::Area area);
    // An undo or redo could not be written; the history was cleared.
    void failed(mailroute::Area area, const QString &error);

private:
    friend class DraftCommand;
    void restoreUsers(Area area, const QByteArray &packed);
    void finish(Area area, const QString &error);
    void reportFailure(Area area, const QString &error);

    ConfigStore *m_store;
    BackgroundStore *m_background;
    QUndoStack *m_stack;
    QAction *m_undo;
    QAction *m_redo;
    int m_running = 0;
    std::optional<std::optional<qint64>> m_activeGeneration; // outer: not read yet
    // Snapshot of the list before the running import, per area (read on the worker).
    QByteArray m_importBefore[kAreaCount];
    bool m_importBeforeReady[kAreaCount] = {};
};

} // namespace mailroute
