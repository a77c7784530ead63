// ConfigStore: the draft's domain and user mappings (docs/behaviour.md "Areas
// and mappings"). See configstore_p.h.
#include "relaycore/store/configstore_p.h"

#include "relaycore/routing/mailaddress.h"

#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace mailroute {

using namespace storedetail;

namespace {

// "a, b, c" / "a, b, ... j and 40 more": the first kListedDeletions names
// (issue 12: an action log line names what it deleted).
QString namedList(const QStringList &names)
{
    if (names.size() <= kListedDeletions)
        return names.join(u", "_s);
    return u"%1 and %2 more"_s.arg(names.first(kListedDeletions).join(u", "_s))
        .arg(names.size() - kListedDeletions);
}

Result<MailAddress> mailboxArg(const QString &text, const QString &role)
{
    const Result<MailAddress> a = parseMailbox(QStringView(text).trimmed());
    if (!a)
        return Result<MailAddress>::failure(u"invalid %1 address \"%2\": %3"_s.arg(role, text, a.error));
    return a;
}

// The (source, target) of a domain mapping, normalised, or why not: both
// valid, and not a domain mapped to itself.
Result<DomainMapping> domainPairArg(const QString &source, const QString &target)
{
    using R = Result<DomainMapping>;
    const Result<QString> src = domainArg(source, u"source"_s);
    if (!src)
        return R::failure(src.error);
    const Result<QString> tgt = domainArg(target, u"target"_s);
    if (!tgt)
        return R::failure(tgt.error);
    if (*src == *tgt)
        return R::failure(u"%1 cannot be mapped to itself"_s.arg(displayDomain(*src)));
    return R::success({*src, *tgt});
}

struct UserPair
{
    MailAddress source;
    MailAddress target;
};

// The same for a user mapping, which only Inbound and Outbound have.
Result<UserPair> userPairArg(Area area, const QString &source, const QString &target)
{
    using R = Result<UserPair>;
    if (!areaHasUsers(area))
        return R::failure(noUsersError(area));
    const Result<MailAddress> src = mailboxArg(source, u"source"_s);
    if (!src)
        return R::failure(src.error);
    const Result<MailAddress> tgt = mailboxArg(target, u"target"_s);
    if (!tgt)
        return R::failure(tgt.error);
    if (src->key() == tgt->key())
        return R::failure(u"%1 cannot be mapped to itself"_s.arg(src->toString()));
    return R::success({*src, *tgt});
}

QString likePattern(const QString &filter)
{
    QString escaped;
    escaped.reserve(filter.size() + 2);
    escaped += u'%';
    for (const QChar c : filter.toLower()) {
        if (c == u'\\' || c == u'%' || c == u'_')
            escaped += u'\\';
        escaped += c;
    }
    escaped += u'%';
    return escaped;
}

QString listOr(const QStringList &items, qsizetype max)
{
    if (items.size() <= max)
        return items.join(u", "_s);
    return items.mid(0, max).join(u", "_s) + u" and %1 more"_s.arg(items.size() - max);
}

} // namespace

QList<DomainMapping> ConfigStore::Private::readDomains(Area area) const
{
    QList<DomainMapping> out;
    Query q(db, u"SELECT source, target FROM domain_mappings WHERE area = ? ORDER BY source"_s,
            {areaKey(area)});
    if (!q.exec())
        return out;
    while (q.next())
        out.append({q.value(0).toString(), q.value(1).toString()});
    return out;
}

std::optional<QString> ConfigStore::Private::domainTarget(Area area, const QString &source) const
{
    Query q(db, u"SELECT target FROM domain_mappings WHERE area = ? AND source = ?"_s,
            {areaKey(area), source});
    if (!q.exec() || !q.next())
        return std::nullopt;
    return q.value(0).toString();
}

std::optional<UserMapping> ConfigStore::Private::userByKey(Area area, const QString &key) const
{
    Query q(db, u"SELECT source, target FROM user_mappings WHERE area = ? AND source_key = ?"_s,
            {areaKey(area), key});
    if (!q.exec() || !q.next())
        return std::nullopt;
    return UserMapping{q.value(0).toString(), q.value(1).toString()};
}

QList<UserMapping> ConfigStore::Private::readUsers(Area area, qint64 offset, qint64 limit,
                                                   const QString &filter, const QString &afterKey) const
{
    QList<UserMapping> out;
    if (!areaHasUsers(area))
        return out;
    QString sql = u"SELECT source, target FROM user_mappings WHERE area = ?"_s;
    QVariantList values{areaKey(area)};
    if (!afterKey.isEmpty()) {
        sql += u" AND source_key > ?"_s;
        values << afterKey;
    }
    if (!filter.isEmpty()) {
        // source_key is folded by Qt (full Unicode); LIKE folds ASCII only,
        // which covers targets' ACE domains and nearly every local part.
        sql += u" AND (source_key LIKE ? ESCAPE '\\' OR target LIKE ? ESCAPE '\\')"_s;
        const QString pattern = likePattern(filter);
        values << pattern << pattern;
    }
    sql += u" ORDER BY source_key LIMIT ? OFFSET ?"_s;
    values << (limit < 0 ? qint64(-1) : limit) << std::max<qint64>(0, offset);
    Query q(db, sql, values);
    if (!q.exec())
        return out;
    if (limit > 0 && limit < 1000000)
        out.reserve(static_cast<qsizetype>(limit));
    while (q.next())
        out.append({q.value(0).toString(), q.value(1).toString()});
    return out;
}

qint64 ConfigStore::Private::countUsers(Area area, const QString &filter) const
{
    if (!areaHasUsers(area) || !isOpen)
        return 0;
    QString sql = u"SELECT count(*) FROM user_mappings WHERE area = ?"_s;
    QVariantList values{areaKey(area)};
    if (!filter.isEmpty()) {
        sql += u" AND (source_key LIKE ? ESCAPE '\\' OR target LIKE ? ESCAPE '\\')"_s;
        const QString pattern = likePattern(filter);
        values << pattern << pattern;
    }
    Query q(db, sql, values);
    if (!q.exec() || !q.next())
        return 0;
    return q.value(0).toLongLong();
}

// ---- domain mappings -------------------------------------------------------

QList<DomainMapping> ConfigStore::domainMappings(Area area) const
{
    if (!d->isOpen)
        return {};
    return d->readDomains(area);
}

Status ConfigStore::addDomainMapping(Area area, const QString &source, const QString &target)
{
    const Result<DomainMapping> pair = domainPairArg(source, target);
    if (!pair)
        return Status::failure(pair.error);
    const QString *src = &pair->source;
    const QString *tgt = &pair->target;
    return d->write([&](bool &) -> Status {
        if (d->domainTarget(area, *src))
            return Status::failure(
                u"a domain mapping for %1 already exists in %2"_s.arg(displayDomain(*src), areaTitle(area)));
        Query q(d->db, u"INSERT INTO domain_mappings (area, source, target) VALUES (?, ?, ?)"_s,
                {areaKey(area), *src, *tgt});
        if (Status st = q.exec(); !st)
            return st;
        return d->log(area, u"Domains inserted : %1 to %2,"_s.arg(displayDomain(*src), displayDomain(*tgt)));
    });
}

Status ConfigStore::updateDomainMapping(Area area, const QString &oldSource, const QString &source,
                                        const QString &target)
{
    const Result<QString> old = domainArg(oldSource, u"source"_s);
    if (!old)
        return Status::failure(old.error);
    const Result<DomainMapping> pair = domainPairArg(source, target);
    if (!pair)
        return Status::failure(pair.error);
    const QString *src = &pair->source;
    const QString *tgt = &pair->target;
    return d->write([&](bool &changed) -> Status {
        const std::optional<QString> current = d->domainTarget(area, *old);
        if (!current)
            return Status::failure(
                u"no domain mapping for %1 in %2"_s.arg(displayDomain(*old), areaTitle(area)));
        if (*src == *old && *tgt == *current) {
            changed = false;
            return okStatus();
        }
        if (*src != *old && d->domainTarget(area, *src))
            return Status::failure(
                u"a domain mapping for %1 already exists in %2"_s.arg(displayDomain(*src), areaTitle(area)));
        Query q(d->db, u"UPDATE domain_mappings SET source = ?, target = ? WHERE area = ? AND source = ?"_s,
                {*src, *tgt, areaKey(area), *old});
        if (Status st = q.exec(); !st)
            return st;
        return d->log(area, u"Domain updated : %1 to %2,"_s.arg(displayDomain(*src), displayDomain(*tgt)));
    });
}

Result<qint64> ConfigStore::removeDomainMappings(Area area, const QStringList &sources)
{
    using R = Result<qint64>;
    QStringList domains;
    for (const QString &s : sources) {
        const Result<QString> dom = domainArg(s, u"source"_s);
        if (!dom)
            return R::failure(dom.error);
        if (!domains.contains(*dom))
            domains.append(*dom);
    }
    if (domains.isEmpty())
        return R::success(0);
    const Status st = d->write([&](bool &) -> Status {
        QStringList missing;
        for (const QString &dom : std::as_const(domains)) {
            if (!d->domainTarget(area, dom))
                missing.append(displayDomain(dom));
        }
        if (!missing.isEmpty())
            return Status::failure(u"no domain mapping for %1 in %2; nothing was removed"_s.arg(
                listOr(missing, 5), areaTitle(area)));
        QStringList shown;
        for (const QString &dom : std::as_const(domains)) {
            Query q(d->db, u"DELETE FROM domain_mappings WHERE area = ? AND source = ?"_s,
                    {areaKey(area), dom});
            if (Status e = q.exec(); !e)
                return e;
            shown.append(displayDomain(dom));
        }
        if (shown.size() <= kListedDeletions)
            return d->log(area, u"Domains deleted : %1,"_s.arg(shown.join(u", "_s)));
        return d->log(area, u"%1 domains have been deleted: %2."_s.arg(shown.size()).arg(namedList(shown)));
    });
    if (!st)
        return R::failure(st.error);
    return R::success(domains.size());
}

// ---- user mappings ---------------------------------------------------------

qint64 ConfigStore::userCount(Area area) const
{
    return d->countUsers(area, {});
}

QList<UserMapping> ConfigStore::userMappings(Area area, qint64 offset, qint64 limit,
                                             const QString &filter) const
{
    if (!d->isOpen || limit == 0)
        return {};
    return d->readUsers(area, offset, limit, filter);
}

qint64 ConfigStore::userCount(Area area, const QString &filter) const
{
    return d->countUsers(area, filter);
}

QList<UserMapping> ConfigStore::userMappingsAfter(Area area, const QString &afterSource, qint64 limit,
                                                  const QString &filter) const
{
    if (!d->isOpen || limit == 0)
        return {};
    return d->readUsers(area, 0, limit, filter, userKey(afterSource.trimmed()));
}

Status ConfigStore::addUserMapping(Area area, const QString &source, const QString &target)
{
    const Result<UserPair> pair = userPairArg(area, source, target);
    if (!pair)
        return Status::failure(pair.error);
    const MailAddress *src = &pair->source;
    const MailAddress *tgt = &pair->target;
    return d->write([&](bool &) -> Status {
        if (d->userByKey(area, src->key()))
            return Status::failure(
                u"a user mapping for %1 already exists in %2"_s.arg(src->toString(), areaTitle(area)));
        Query q(d->db, u"INSERT INTO user_mappings (area, source_key, source, target) VALUES (?, ?, ?, ?)"_s,
                {areaKey(area), src->key(), src->toString(), tgt->toString()});
        if (Status st = q.exec(); !st)
            return st;
        return d->log(area, u"Users inserted : %1 to %2,"_s.arg(src->toString(), tgt->toString()));
    });
}

Status ConfigStore::updateUserMapping(Area area, const QString &oldSource, const QString &source,
                                      const QString &target)
{
    if (!areaHasUsers(area))
        return Status::failure(noUsersError(area));
    const Result<MailAddress> old = mailboxArg(oldSource, u"source"_s);
    if (!old)
        return Status::failure(old.error);
    const Result<UserPair> pair = userPairArg(area, source, target);
    if (!pair)
        return Status::failure(pair.error);
    const MailAddress *src = &pair->source;
    const MailAddress *tgt = &pair->target;
    return d->write([&](bool &changed) -> Status {
        const std::optional<UserMapping> current = d->userByKey(area, old->key());
        if (!current)
            return Status::failure(u"no user mapping for %1 in %2"_s.arg(old->toString(), areaTitle(area)));
        if (current->source == src->toString() && current->target == tgt->toString()) {
            changed = false;
            return okStatus();
        }
        if (src->key() != old->key() && d->userByKey(area, src->key()))
            return Status::failure(
                u"a user mapping for %1 already exists in %2"_s.arg(src->toString(), areaTitle(area)));
        Query q(
            d->db,
            u"UPDATE user_mappings SET source_key = ?, source = ?, target = ? WHERE area = ? AND source_key = ?"_s,
            {src->key(), src->toString(), tgt->toString(), areaKey(area), old->key()});
        if (Status st = q.exec(); !st)
            return st;
        return d->log(area, u"User updated : %1 to %2,"_s.arg(src->toString(), tgt->toString()));
    });
}

Result<qint64> ConfigStore::removeUserMappings(Area area, const QStringList &sources)
{
    using R = Result<qint64>;
    if (!areaHasUsers(area))
        return R::failure(noUsersError(area));
    QStringList keys;
    QStringList shown;
    for (const QString &s : sources) {
        const Result<MailAddress> a = mailboxArg(s, u"source"_s);
        if (!a)
            return R::failure(a.error);
        if (!keys.contains(a->key())) {
            keys.append(a->key());
            shown.append(a->toString());
        }
    }
    if (keys.isEmpty())
        return R::success(0);
    const Status st = d->write([&](bool &) -> Status {
        QStringList missing;
        QStringList named; // as stored, whatever case the caller typed
        for (qsizetype i = 0; i < keys.size(); ++i) {
            if (const std::optional<UserMapping> u = d->userByKey(area, keys.at(i)))
                named.append(u->source);
            else
                missing.append(shown.at(i));
        }
        if (!missing.isEmpty())
            return Status::failure(u"no user mapping for %1 in %2; nothing was removed"_s.arg(
                listOr(missing, 5), areaTitle(area)));
        for (const QString &key : std::as_const(keys)) {
            Query q(d->db, u"DELETE FROM user_mappings WHERE area = ? AND source_key = ?"_s,
                    {areaKey(area), key});
            if (Status e = q.exec(); !e)
                return e;
        }
        if (named.size() == 1)
            return d->log(area, u"1 user has been deleted: %1."_s.arg(named.first()));
        return d->log(area, u"%1 users have been deleted: %2."_s.arg(named.size()).arg(namedList(named)));
    });
    if (!st)
        return R::failure(st.error);
    return R::success(keys.size());
}

} // namespace mailroute
