// ConfigStore: the CSV user-list import (docs/behaviour.md "CSV user lists"):
// the sorted keys, the plan (a merge with the stored list) and its apply. See
// configstore_p.h.
#include "relaycore/store/configstore_p.h"

#include "relaycore/csv/usercsvcodec.h"
#include "relaycore/message/confirmationrequest.h"

#include <QSqlError>
#include <QSqlQuery>

#include <utility>

using namespace Qt::StringLiterals;

namespace mailroute {

using namespace storedetail;

Result<ImportEdits> ConfigStore::Private::compareWithStored(Area area, const QList<UserMapping> &rows,
                                                            const SortedKeys &keys, qsizetype maxEdits) const
{
    using R = Result<ImportEdits>;
    ImportEdits e;
    e.complete = maxEdits > 0;
    auto edit = [&]() {
        if (e.complete && e.removedKeys.size() + qsizetype(e.changed.size() + e.added.size()) >= maxEdits) {
            e.complete = false;
            e.removedKeys.clear();
            e.changed = {};
            e.added = {};
        }
        return e.complete;
    };
    ImportCounts &c = e.counts;
    Query q(db, u"SELECT source_key, source, target FROM user_mappings WHERE area = ? ORDER BY source_key"_s,
            {areaKey(area)});
    if (Status st = q.exec(); !st)
        return R::failure(st.error);
    qsizetype i = 0;
    while (q.next()) {
        const QString storedKey = q.value(0).toString();
        const QByteArray stored = storedKey.toUtf8();
        int cmp = -1;
        while (i < keys.size() && (cmp = SortedKeys::compare(keys.key(i), stored)) < 0) {
            ++c.added;
            if (edit())
                e.added.push_back(i);
            ++i;
        }
        if (i < keys.size() && cmp == 0) {
            const UserMapping &m = rows.at(keys.row(i));
            if (m.source == q.value(1).toString() && m.target == q.value(2).toString()) {
                ++c.unchanged;
            } else {
                ++c.changed;
                if (edit())
                    e.changed.push_back(i);
            }
            ++i;
        } else {
            ++c.removed;
            if (edit())
                e.removedKeys.append(storedKey);
        }
    }
    for (; i < keys.size(); ++i) {
        ++c.added;
        if (edit())
            e.added.push_back(i);
    }
    return R::success(std::move(e));
}

Status ConfigStore::Private::applyEdits(Area area, const QList<UserMapping> &rows, const SortedKeys &keys,
                                        const ImportEdits &e)
{
    const QVariant areaV(areaKey(area));
    {
        QSqlQuery del(db);
        if (!del.prepare(u"DELETE FROM user_mappings WHERE area = ? AND source_key = ?"_s))
            return Status::failure(describe(del.lastError()));
        for (const QString &key : e.removedKeys) {
            del.bindValue(0, areaV);
            del.bindValue(1, key);
            if (!del.exec())
                return Status::failure(describe(del.lastError()));
        }
    }
    {
        QSqlQuery upd(db);
        if (!upd.prepare(
                u"UPDATE user_mappings SET source = ?, target = ? WHERE area = ? AND source_key = ?"_s))
            return Status::failure(describe(upd.lastError()));
        for (const qsizetype i : e.changed) {
            const UserMapping &m = rows.at(keys.row(i));
            upd.bindValue(0, m.source);
            upd.bindValue(1, m.target);
            upd.bindValue(2, areaV);
            upd.bindValue(3, keys.keyString(i));
            if (!upd.exec())
                return Status::failure(
                    u"cannot store the user mapping for %1: %2"_s.arg(m.source, describe(upd.lastError())));
        }
    }
    return insertUsers(area, rows, keys, &e.added);
}

Status ConfigStore::Private::insertUsers(Area area, const QList<UserMapping> &rows, const SortedKeys &keys,
                                         const std::vector<qsizetype> *only)
{
    // Position p of the rows to insert, in key order: all, or `only`.
    const auto at = [&](qsizetype p) { return only ? (*only)[static_cast<size_t>(p)] : p; };
    const QString head = u"INSERT INTO user_mappings (area, source_key, source, target) VALUES "_s;
    const QString tuple = u"(?, ?, ?, ?)"_s;
    QStringList tuples;
    for (int j = 0; j < kInsertBatch; ++j)
        tuples << tuple;
    QSqlQuery batch(db);
    QSqlQuery single(db);
    if (!batch.prepare(head + tuples.join(u", "_s)) || !single.prepare(head + tuple))
        return Status::failure(
            describe(batch.lastError().isValid() ? batch.lastError() : single.lastError()));
    const QVariant areaV(areaKey(area));
    auto fail = [&](const QSqlQuery &q, qsizetype first) {
        return Status::failure(u"cannot store the user mapping for %1 or one after it: %2"_s.arg(
            rows.at(keys.row(first)).source, describe(q.lastError())));
    };
    const qsizetype n = only ? static_cast<qsizetype>(only->size()) : keys.size();
    qsizetype p = 0;
    for (; p + kInsertBatch <= n; p += kInsertBatch) {
        for (int j = 0; j < kInsertBatch; ++j) {
            const qsizetype i = at(p + j);
            const UserMapping &m = rows.at(keys.row(i));
            batch.bindValue(4 * j, areaV);
            batch.bindValue(4 * j + 1, keys.keyString(i));
            batch.bindValue(4 * j + 2, m.source);
            batch.bindValue(4 * j + 3, m.target);
        }
        if (!batch.exec())
            return fail(batch, at(p));
    }
    for (; p < n; ++p) {
        const qsizetype i = at(p);
        const UserMapping &m = rows.at(keys.row(i));
        single.bindValue(0, areaV);
        single.bindValue(1, keys.keyString(i));
        single.bindValue(2, m.source);
        single.bindValue(3, m.target);
        if (!single.exec())
            return fail(single, i);
    }
    return okStatus();
}

// ---- CSV import / export ---------------------------------------------------

ImportPlan ConfigStore::planImport(Area area, const QByteArray &csv, const CsvParseOptions &opts) const
{
    d->lastPlan.reset();
    ImportPlan plan;
    plan.area = area;
    if (!areaHasUsers(area)) {
        plan.parsed.errors.append({0, noUsersError(area)});
        return plan;
    }
    if (!d->isOpen) {
        plan.parsed.errors.append({0, notOpenError()});
        return plan;
    }
    plan.parsed = UserCsvCodec::parse(csv, opts);
    if (!plan.ok())
        return plan;
    auto keys = std::make_shared<const SortedKeys>(plan.parsed.rows);
    if (const qsizetype dup = keys->firstDuplicate(); dup >= 0) {
        plan.parsed.errors.append(
            {0, u"duplicate source %1"_s.arg(plan.parsed.rows.at(keys->row(dup)).source)});
        plan.parsed.rows.clear();
        return plan;
    }
    Transaction tx(d->db);
    Result<ImportEdits> compared = Result<ImportEdits>::failure({});
    qint64 counter = -1;
    if (Status st = tx.begin(Transaction::Kind::Read); !st) {
        compared = Result<ImportEdits>::failure(st.error);
    } else {
        counter = d->metaInt(u"change_counter"_s).value_or(-1);
        compared = d->compareWithStored(area, plan.parsed.rows, *keys);
    }
    if (!compared) {
        plan.parsed.errors.append({0, u"cannot read the current user list: %1"_s.arg(compared.error)});
        plan.parsed.rows.clear();
        return plan;
    }
    tx.commit();
    const ImportCounts &counts = compared->counts;
    plan.added = counts.added;
    plan.changed = counts.changed;
    plan.removed = counts.removed;
    plan.unchanged = counts.unchanged;
    d->lastPlan = PlanCache{area, plan.parsed.rows, std::move(keys), counter, counts};
    return plan;
}

Status ConfigStore::applyImport(const ImportPlan &plan)
{
    // Whatever happens, the cached sort of the last plan is not kept: it is
    // tens of megabytes for a big list.
    std::optional<PlanCache> cached = std::exchange(d->lastPlan, std::nullopt);
    const Area area = plan.area;
    if (!areaHasUsers(area))
        return Status::failure(noUsersError(area));
    if (plan.parsed.cancelled)
        return Status::failure(u"the import was cancelled; the user list is unchanged"_s);
    if (!plan.ok()) {
        const CsvError &e = plan.parsed.errors.constFirst();
        const QString where = e.line > 0 ? u"line %1: "_s.arg(e.line) : QString();
        return Status::failure(u"the file has %1 error(s) (%2%3); the user list is unchanged"_s.arg(
            QString::number(plan.parsed.errors.size()), where, e.reason));
    }
    const QList<UserMapping> &rows = plan.parsed.rows;
    // The plan from planImport() still holds a shared copy of its rows, so the
    // same data pointer means the very same, unedited rows (an edit by the
    // caller would have detached them): its sort and counts can be reused.
    const bool samePlan = cached && cached->area == area && cached->rows.constData() == rows.constData() &&
                          cached->rows.size() == rows.size();
    std::shared_ptr<const SortedKeys> keys =
        samePlan ? cached->keys : std::make_shared<const SortedKeys>(rows);
    if (const qsizetype dup = keys->firstDuplicate(); dup >= 0)
        return Status::failure(
            u"duplicate source %1; the user list is unchanged"_s.arg(rows.at(keys->row(dup)).source));
    return d->write([&](bool &) -> Status {
        // Counted under the write lock unless nothing changed since the plan:
        // the log states what this import really did.
        const bool planIsCurrent =
            samePlan && d->metaInt(u"change_counter"_s).value_or(-2) == cached->counter;
        ImportCounts counts;
        Status written = okStatus();
        if (planIsCurrent && cached->counts.added == rows.size() && cached->counts.removed == 0) {
            // Into an empty list (a first upload): nothing to compare or delete.
            counts = cached->counts;
            written = d->insertUsers(area, rows, *keys);
        } else {
            // An upload is usually the same list with a few changes: then only
            // those rows are written. Past an eighth of the rows, deleting and
            // bulk-inserting the whole list in key order is cheaper.
            const qsizetype maxEdits = std::max<qsizetype>(1, (rows.size() + d->countUsers(area, {})) / 8);
            Result<ImportEdits> e = d->compareWithStored(area, rows, *keys, maxEdits);
            if (!e)
                return Status::failure(e.error);
            counts = e->counts;
            if (e->complete) {
                written = d->applyEdits(area, rows, *keys, *e);
            } else {
                e = Result<ImportEdits>::failure({}); // release the partial edit lists
                Query del(d->db, u"DELETE FROM user_mappings WHERE area = ?"_s, {areaKey(area)});
                written = del.exec();
                if (written)
                    written = d->insertUsers(area, rows, *keys);
            }
        }
        if (!written)
            return Status::failure(written.error + u"; the user list is unchanged"_s);
        if (ConfirmationRequest::wanted(d->readSettings())) {
            if (Status e = storeConfirmation(
                    d->db, ConfirmationRequest::forUpload(area, rows.size(), counts.added, counts.changed,
                                                          counts.removed, QDateTime::currentDateTimeUtc()));
                !e)
                return e;
        }
        return d->log(area, u"User list uploaded : %1 users (%2 new, %3 changed, %4 removed)."_s.arg(
                                QString::number(rows.size()), QString::number(counts.added),
                                QString::number(counts.changed), QString::number(counts.removed)));
    });
}

QByteArray ConfigStore::exportUsers(Area area) const
{
    return UserCsvCodec::write(userMappings(area));
}

} // namespace mailroute
