// ConfigStore: the configuration database. Runs on the thread that opened it
// (one named Qt Sql connection per instance); see configstore.h.
//
// Concurrency model: SQLite in WAL mode, so readers never wait for the writer
// and the writer never waits for readers. Every write begins with BEGIN
// IMMEDIATE: it takes the single write lock up front (waiting up to the busy
// timeout) instead of upgrading a read transaction later, which in WAL mode
// can fail at once with SQLITE_BUSY_SNAPSHOT instead of waiting.
#include "relaycore/store/configstore.h"

#include "relaycore/config/hostport.h"
#include "relaycore/config/settingsdiff.h"
#include "relaycore/config/settingsmigration.h"

#include "relaycore/config/settingsschema.h"
#include "relaycore/csv/usercsvcodec.h"
#include "relaycore/routing/dkimselector.h"
#include "relaycore/routing/mailaddress.h"
#include "relaycore/routing/routingsnapshot.h"
#include "relaycore/routing/settingkeys.h"
#include "relaycore/routing/waveplan.h"
#include "relaycore/store/confirmationrequest.h"
#include "relaycore/store/databasefileguard.h"
#include "relaycore/store/generationcodec.h"
#include "relaycore/store/schemamigration.h"
#include "relaycore/store/wavetables.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QLoggingCategory>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QVariant>

#include <algorithm>
#include <cstring>
#include <functional>
#include <utility>
#include <vector>

using namespace Qt::StringLiterals;

namespace mailroute {

namespace {

Q_LOGGING_CATEGORY(lcStore, "mailroute.store")

// Long enough to ride out another process's import or push of a big list,
// short enough that a stuck lock surfaces as an error, not a hang.
constexpr int kBusyTimeoutMs = 5000;
// A deletion log line names the domains up to this many, then only counts.
constexpr qsizetype kListedDeletions = 10;
// Optimistic push: retries when another writer changed the draft meanwhile.
constexpr int kPushAttempts = 3;
// Rows per INSERT statement in bulk imports (4 values each, far below
// SQLite's limit on bound variables).
constexpr int kInsertBatch = 128;

// "a, b, c" / "a, b, ... j and 40 more": the first kListedDeletions names
// (issue 12: an action log line names what it deleted).
QString namedList(const QStringList &names)
{
    if (names.size() <= kListedDeletions)
        return names.join(u", "_s);
    return u"%1 and %2 more"_s.arg(names.first(kListedDeletions).join(u", "_s)).arg(names.size() - kListedDeletions);
}

QString notOpenError()
{
    return u"the configuration database is not open"_s;
}

QString noUsersError(Area area)
{
    return u"%1 has no user mappings; only Inbound and Outbound do"_s.arg(areaTitle(area));
}

QString describe(const QSqlError &e)
{
    const QString text = e.databaseText().isEmpty() ? e.text() : e.databaseText();
    return text.isEmpty() ? u"unknown database error"_s : text;
}

QVariant nullText()
{
    return QVariant(QMetaType::fromType<QString>());
}

QVariant areaValue(std::optional<Area> area)
{
    return area ? QVariant(areaKey(*area)) : nullText();
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// Inside the caller's write transaction (push, upload).
Status storeConfirmation(QSqlDatabase &db, const ConfirmationRequest &request)
{
    const QString key = u"confirmation:%1:%2"_s.arg(request.time.toMSecsSinceEpoch(), 16, 10, QLatin1Char('0'))
                            .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    QSqlQuery q(db);
    q.prepare(u"INSERT INTO meta (key, value) VALUES (?, ?)"_s);
    q.addBindValue(key);
    q.addBindValue(request.toJson());
    if (!q.exec())
        return Status::failure(u"cannot store the confirmation: %1"_s.arg(q.lastError().text()));
    return okStatus();
}

QDateTime fromMs(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

// A prepared statement with positional values; errors become a Status.
class Query final
{
public:
    Query(const QSqlDatabase &db, const QString &sql, const QVariantList &values = {}) : m_q(db)
    {
        m_q.setForwardOnly(true);
        if (!m_q.prepare(sql)) {
            m_error = describe(m_q.lastError());
            return;
        }
        for (qsizetype i = 0; i < values.size(); ++i)
            m_q.bindValue(static_cast<int>(i), values.at(i));
    }
    Q_DISABLE_COPY_MOVE(Query)

    Status exec()
    {
        if (!m_error.isEmpty())
            return Status::failure(m_error);
        if (!m_q.exec()) {
            m_error = describe(m_q.lastError());
            qCWarning(lcStore) << "query failed:" << m_q.lastQuery() << m_error;
            return Status::failure(m_error);
        }
        return okStatus();
    }
    bool next() { return m_q.next(); }
    QVariant value(int i) const { return m_q.value(i); }
    int rowsAffected() const { return m_q.numRowsAffected(); }

private:
    QSqlQuery m_q;
    QString m_error;
};

// BEGIN ... COMMIT; rolls back unless committed. Queries run inside must be
// destroyed (or finished) before commit(), which the scoping below ensures.
class Transaction final
{
public:
    enum class Kind { Read, Write };
    explicit Transaction(const QSqlDatabase &db) : m_db(db) {}
    ~Transaction()
    {
        if (m_open) {
            QSqlQuery q(m_db);
            q.exec(u"ROLLBACK"_s);
        }
    }
    Q_DISABLE_COPY_MOVE(Transaction)

    Status begin(Kind kind)
    {
        QSqlQuery q(m_db);
        // A deferred BEGIN pins one read snapshot at the first SELECT, so a
        // multi-query read sees one consistent state.
        if (!q.exec(kind == Kind::Write ? u"BEGIN IMMEDIATE"_s : u"BEGIN"_s)) {
            const QString why = describe(q.lastError());
            return Status::failure(kind == Kind::Write ? u"the database is busy or read-only: %1"_s.arg(why)
                                                       : why);
        }
        m_open = true;
        return okStatus();
    }

    Status commit()
    {
        QSqlQuery q(m_db);
        if (!q.exec(u"COMMIT"_s))
            return Status::failure(u"cannot commit: %1"_s.arg(describe(q.lastError())));
        m_open = false;
        return okStatus();
    }

private:
    QSqlDatabase m_db;
    bool m_open = false;
};

Result<QString> domainArg(const QString &text, const QString &role)
{
    const Result<QString> d = normalizeDomain(QStringView(text).trimmed());
    if (!d)
        return Result<QString>::failure(u"invalid %1 domain \"%2\": %3"_s.arg(role, text, d.error));
    return d;
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

// A next hop in its canonical form, or why not (relaycore/config/hostport.h:
// the same parser as settings and the relay's resolver).
// A route's TLS policy as the routes.tls column holds it: NULL is the default.
QVariant tlsColumn(std::optional<TlsPolicy> tls)
{
    return tls ? QVariant(tlsPolicyName(*tls)) : QVariant(QMetaType(QMetaType::QString));
}

Result<QString> nextHopArg(const QString &text)
{
    const Result<HostPort> hp = parseHostPort(text);
    if (!hp)
        return Result<QString>::failure(u"invalid next hop \"%1\": %2"_s.arg(text.trimmed(), hp.error));
    return Result<QString>::success(hp->toString());
}

Result<QString> dkimSelectorArg(const QString &text)
{
    return normalizeDkimSelector(text);
}

// "example.com mr20261206 (rsa-2048, active)": how logs name a key.
QString dkimKeyText(const DkimKey &k)
{
    return u"%1 %2 (%3, %4)"_s.arg(k.domain, k.selector, dkimAlgorithmName(k.algorithm), dkimKeyStateName(k.state));
}

QVariant retiredColumn(qint64 retiredAt)
{
    return retiredAt > 0 ? QVariant(retiredAt) : QVariant(QMetaType(QMetaType::LongLong));
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

// The user list's case-insensitive identity: MailAddress::key(). Rows in a
// store or a parsed CSV have a normalised (lower-case ASCII) domain already,
// so folding the whole address gives the same key.
QString userKey(const QString &source)
{
    return source.toLower();
}

// The user rows of a list sorted by their key in SQLite's BINARY order
// (memcmp of UTF-8), the order of the user_mappings primary key. Sorting a
// million rows this way lets an import append to the b-tree instead of
// scattering inserts over it, and lets the comparison with the stored list
// be a merge instead of a hash table of a million strings.
class SortedKeys final
{
public:
    explicit SortedKeys(const QList<UserMapping> &rows)
    {
        m_refs.reserve(static_cast<size_t>(rows.size()));
        qsizetype total = 0;
        for (const UserMapping &m : rows)
            total += m.source.size();
        m_arena.reserve(total + total / 8);
        for (qsizetype i = 0; i < rows.size(); ++i) {
            const QString &s = rows.at(i).source;
            const auto offset = static_cast<quint32>(m_arena.size());
            appendFolded(s);
            m_refs.push_back({offset, static_cast<quint32>(m_arena.size()) - offset, static_cast<qint32>(i)});
        }
        const char *base = m_arena.constData();
        const auto less = [base](const Ref &a, const Ref &b) {
            return compare(base + a.offset, a.length, base + b.offset, b.length) < 0;
        };
        // Lists are mostly sorted already (an export of this store is sorted
        // exactly, other tools sort by address). Measured on a million keys:
        // a nearly sorted list takes 0.2 s with merge sort and 1 s with
        // introsort, a shuffled one 0.9 s with introsort and 1.7 s merging.
        qsizetype descents = 0;
        for (size_t i = 1; i < m_refs.size(); ++i) {
            if (less(m_refs[i], m_refs[i - 1]))
                ++descents;
        }
        if (descents == 0)
            return;
        if (descents < size() / 4)
            std::stable_sort(m_refs.begin(), m_refs.end(), less);
        else
            std::sort(m_refs.begin(), m_refs.end(), less);
    }

    qsizetype size() const { return static_cast<qsizetype>(m_refs.size()); }
    qint32 row(qsizetype i) const { return m_refs[static_cast<size_t>(i)].row; }
    QByteArrayView key(qsizetype i) const
    {
        const Ref &r = m_refs[static_cast<size_t>(i)];
        return QByteArrayView(m_arena.constData() + r.offset, r.length);
    }
    QString keyString(qsizetype i) const { return QString::fromUtf8(key(i)); }

    // Index of a key equal to its predecessor, or -1.
    qsizetype firstDuplicate() const
    {
        for (qsizetype i = 1; i < size(); ++i) {
            if (key(i) == key(i - 1))
                return i;
        }
        return -1;
    }

    static int compare(const char *a, quint32 alen, const char *b, quint32 blen)
    {
        const int c = std::memcmp(a, b, std::min(alen, blen));
        if (c != 0)
            return c;
        return alen < blen ? -1 : (alen > blen ? 1 : 0);
    }
    static int compare(QByteArrayView a, QByteArrayView b)
    {
        return compare(a.data(), static_cast<quint32>(a.size()), b.data(), static_cast<quint32>(b.size()));
    }

private:
    struct Ref
    {
        quint32 offset;
        quint32 length;
        qint32 row;
    };

    void appendFolded(const QString &s)
    {
        // ASCII fast path without temporaries; anything else through QString.
        const QChar *p = s.constData();
        const qsizetype n = s.size();
        for (qsizetype i = 0; i < n; ++i) {
            if (p[i].unicode() >= 0x80) {
                m_arena.append(userKey(s).toUtf8());
                return;
            }
        }
        const qsizetype at = m_arena.size();
        m_arena.resize(at + n);
        char *out = m_arena.data() + at;
        for (qsizetype i = 0; i < n; ++i) {
            const char c = static_cast<char>(p[i].unicode());
            out[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
        }
    }

    QByteArray m_arena;
    std::vector<Ref> m_refs;
};

struct ImportCounts
{
    qint64 added = 0;
    qint64 changed = 0;
    qint64 removed = 0;
    qint64 unchanged = 0;
};

// What turns a stored user list into an imported one. Positions index the
// SortedKeys of the new rows, so edits run in key order.
struct ImportEdits
{
    ImportCounts counts;
    bool complete = false; // false: not collected (too many); replace the list
    QStringList removedKeys;
    std::vector<qsizetype> changed;
    std::vector<qsizetype> added;
};

qint64 domainCount(const ConfigData &c)
{
    qint64 n = 0;
    for (const AreaConfig &a : c.areas)
        n += a.domains.size();
    return n;
}

qint64 userCountOf(const ConfigData &c)
{
    qint64 n = 0;
    for (const AreaConfig &a : c.areas)
        n += a.users.size();
    return n;
}

// Push and pushFromActive: the new generation row, inside their write transaction.
Status insertGeneration(QSqlDatabase &db, qint64 number, const QByteArray &blob, const ConfigData &cfg)
{
    Query q(db,
            u"INSERT INTO generations (number, created, snapshot, domain_count, user_count) "
            "VALUES (?, ?, ?, ?, ?)"_s,
            {number, nowMs(), blob, domainCount(cfg), userCountOf(cfg)});
    return q.exec();
}

// The areas a push logs under: those the diff changes, or the general log
// (std::nullopt) when it changes none.
QList<std::optional<Area>> logAreasOf(const ConfigDiff &diff)
{
    QList<std::optional<Area>> logAreas;
    for (Area a : kAllAreas) {
        if (!diff.area(a).isEmpty())
            logAreas.append(a);
    }
    if (logAreas.isEmpty())
        logAreas.append(std::nullopt);
    return logAreas;
}

// Push and pushFromActive: the confirmation of generation `number` (cfg),
// when the settings ask for one; inside their write transaction.
Status confirmPushIfWanted(QSqlDatabase &db, qint64 number, const ConfigData &cfg, const ConfigDiff &diff)
{
    if (!ConfirmationRequest::wanted(cfg.settings))
        return okStatus();
    return storeConfirmation(db, ConfirmationRequest::forPush(number, domainCount(cfg), userCountOf(cfg),
                                                              diff, QDateTime::currentDateTimeUtc()));
}

QString listOr(const QStringList &items, qsizetype max)
{
    if (items.size() <= max)
        return items.join(u", "_s);
    return items.mid(0, max).join(u", "_s) + u" and %1 more"_s.arg(items.size() - max);
}

// Re-validates what a push is about to store: a database can be older than
// the rules, or edited by hand. Settings are brought to their canonical form.
Status validateForPush(ConfigData &c)
{
    for (auto it = c.settings.begin(); it != c.settings.end(); ++it) {
        const Result<QString> v = SettingsSchema::validate(it.key(), it.value());
        if (!v)
            return Status::failure(u"setting %1: %2"_s.arg(it.key(), v.error));
        it.value() = *v;
    }
    for (Area a : kAllAreas) {
        for (const DomainMapping &m : c.area(a).domains) {
            const Result<QString> s = normalizeDomain(m.source);
            const Result<QString> t = normalizeDomain(m.target);
            if (!s || !t || *s != m.source || *t != m.target || m.source == m.target)
                return Status::failure(
                    u"%1 domain mapping @%2 to @%3 is invalid"_s.arg(areaTitle(a), m.source, m.target));
        }
        if (!areaHasUsers(a) && !c.area(a).users.isEmpty())
            return Status::failure(noUsersError(a));
    }
    // Requiring TLS without a certificate would refuse every such client's mail.
    if (c.settings.value(SettingKey::tlsRequiredBeforeMail(), u"no"_s) != u"no"_s
        && (c.settings.value(SettingKey::tlsCertificate()).isEmpty() || c.settings.value(SettingKey::tlsKey()).isEmpty()))
        return Status::failure(u"tls.required_before_mail is %1 but tls.certificate and tls.key are not both set: "
                               "those clients could not send mail at all"_s.arg(c.settings.value(SettingKey::tlsRequiredBeforeMail())));
    for (const TransportRoute &r : c.routes) {
        const Result<QString> hop = nextHopArg(r.nextHop);
        if (!normalizeDomain(r.domain) || !hop)
            return Status::failure(u"route %1 to %2 is invalid"_s.arg(r.domain, r.nextHop));
    }
    QSet<QString> signingDomains;
    for (const DkimKey &k : c.dkimKeys) {
        const Result<QString> dom = normalizeDomain(k.domain);
        const Result<QString> sel = dkimSelectorArg(k.selector);
        if (!dom || *dom != k.domain || !sel || *sel != k.selector || k.publicKey.isEmpty()
            || !QFileInfo(k.keyFile).isAbsolute())
            return Status::failure(u"DKIM key %1 is invalid"_s.arg(dkimKeyText(k)));
        if (k.state != DkimKeyState::Active)
            continue;
        if (signingDomains.contains(k.domain))
            return Status::failure(u"%1 has more than one active DKIM key"_s.arg(k.domain));
        signingDomains.insert(k.domain);
    }
    return okStatus();
}

// The sort and counts of the last planImport(), reused by applyImport() of
// that same plan.
struct PlanCache
{
    Area area;
    QList<UserMapping> rows;
    std::shared_ptr<const SortedKeys> keys;
    qint64 counter; // change counter the counts were taken at
    ImportCounts counts;
};

} // namespace

struct ConfigStore::Private
{
    QString path;
    QString connectionName;
    QSqlDatabase db;
    bool isOpen = false;
    int schemaVersion = 0;
    DatabaseFileGuard guard;
    std::optional<PlanCache> lastPlan;

    // ---- helpers that run inside the caller's transaction (or none)

    // Runs `body` in one write transaction that also bumps the change counter.
    // A failure rolls everything back; `changed = false` means "nothing to do"
    // and rolls back quietly.
    Status write(const std::function<Status(bool &changed)> &body, bool bumpCounter = true)
    {
        if (!isOpen)
            return Status::failure(notOpenError());
        Transaction tx(db);
        if (Status st = tx.begin(Transaction::Kind::Write); !st)
            return st;
        // Holding the write lock: never commit into a WAL another process deleted.
        if (Status st = guard.check(); !st) {
            qCWarning(lcStore).noquote() << st.error;
            return st;
        }
        bool changed = true;
        if (Status st = body(changed); !st)
            return st;
        if (!changed)
            return okStatus();
        if (bumpCounter) {
            Query q(db, u"UPDATE meta SET value = value + 1 WHERE key = 'change_counter'"_s);
            if (Status st = q.exec(); !st)
                return st;
        }
        return tx.commit();
    }

    Status log(std::optional<Area> area, const QString &message)
    {
        Query q(db, u"INSERT INTO action_log (time, area, message) VALUES (?, ?, ?)"_s,
                {nowMs(), areaValue(area), message});
        return q.exec();
    }

    std::optional<qint64> metaInt(const QString &key) const
    {
        Query q(db, u"SELECT value FROM meta WHERE key = ?"_s, {key});
        if (!q.exec() || !q.next() || q.value(0).isNull())
            return std::nullopt;
        return q.value(0).toLongLong();
    }

    Status setMeta(const QString &key, const QVariant &value)
    {
        Query q(db, u"INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"_s, {key, value});
        return q.exec();
    }

    QList<DomainMapping> readDomains(Area area) const
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

    std::optional<QString> domainTarget(Area area, const QString &source) const
    {
        Query q(db, u"SELECT target FROM domain_mappings WHERE area = ? AND source = ?"_s,
                {areaKey(area), source});
        if (!q.exec() || !q.next())
            return std::nullopt;
        return q.value(0).toString();
    }

    std::optional<UserMapping> userByKey(Area area, const QString &key) const
    {
        Query q(db, u"SELECT source, target FROM user_mappings WHERE area = ? AND source_key = ?"_s,
                {areaKey(area), key});
        if (!q.exec() || !q.next())
            return std::nullopt;
        return UserMapping{q.value(0).toString(), q.value(1).toString()};
    }

    QList<UserMapping> readUsers(Area area, qint64 offset, qint64 limit, const QString &filter,
                                 const QString &afterKey = {}) const
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

    qint64 countUsers(Area area, const QString &filter) const
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

    QMap<QString, QString> readSettings() const
    {
        QMap<QString, QString> out;
        Query q(db, u"SELECT key, value FROM settings"_s);
        if (!q.exec())
            return out;
        while (q.next())
            out.insert(q.value(0).toString(), q.value(1).toString());
        return out;
    }

    // Settings a previous release stored under a retired key (SettingsMigration)
    // are rewritten once, in one transaction with an action-log line; opening
    // a database that has none costs one SELECT.
    Status migrateRetiredSettings()
    {
        {
            Query probe(db, u"SELECT 1 FROM settings WHERE key = ?"_s, {SettingsMigration::legacyRewriteHeaders()});
            if (Status st = probe.exec(); !st)
                return st;
            if (!probe.next())
                return okStatus();
        }
        return write([this](bool &changed) -> Status {
            const QMap<QString, QString> before = readSettings();
            QMap<QString, QString> after = before;
            const QString account = SettingsMigration::migrate(after);
            if (account.isEmpty()) { // another process got there first
                changed = false;
                return okStatus();
            }
            for (auto it = before.cbegin(); it != before.cend(); ++it) {
                if (!after.contains(it.key())) {
                    Query q(db, u"DELETE FROM settings WHERE key = ?"_s, {it.key()});
                    if (Status st = q.exec(); !st)
                        return st;
                }
            }
            for (auto it = after.cbegin(); it != after.cend(); ++it) {
                if (before.value(it.key()) != it.value()) {
                    Query q(db, u"INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)"_s,
                            {it.key(), it.value()});
                    if (Status st = q.exec(); !st)
                        return st;
                }
            }
            return log(std::nullopt, u"Setting migrated : %1"_s.arg(account));
        });
    }

    QList<TransportRoute> readRoutes() const
    {
        QList<TransportRoute> out;
        Query q(db, u"SELECT domain, next_hop, tls FROM routes ORDER BY domain"_s);
        if (!q.exec())
            return out;
        while (q.next())
            out.append({q.value(0).toString(), q.value(1).toString(), parseTlsPolicy(q.value(2).toString())});
        return out;
    }

    QList<DkimKey> readDkimKeys(const QString &domain) const
    {
        QList<DkimKey> out;
        QString sql = u"SELECT domain, selector, algorithm, state, key_file, public_key, created, retired_at "
                      "FROM dkim_keys"_s;
        QVariantList values;
        if (!domain.isEmpty()) {
            sql += u" WHERE domain = ?"_s;
            values << domain;
        }
        Query q(db, sql + u" ORDER BY domain, selector"_s, values);
        if (!q.exec())
            return out;
        while (q.next()) {
            DkimKey k;
            k.domain = q.value(0).toString();
            k.selector = q.value(1).toString();
            // The table's CHECK constraints keep these parseable.
            k.algorithm = parseDkimAlgorithm(q.value(2).toString()).value_or(DkimAlgorithm::Rsa2048);
            k.state = parseDkimKeyState(q.value(3).toString()).value_or(DkimKeyState::Retired);
            k.keyFile = q.value(4).toString();
            k.publicKey = q.value(5).toString();
            k.created = q.value(6).toLongLong();
            k.retiredAt = q.value(7).isNull() ? 0 : q.value(7).toLongLong();
            out.append(k);
        }
        return out;
    }

    Status insertDkimKey(const DkimKey &k)
    {
        Query q(db,
                u"INSERT INTO dkim_keys (domain, selector, algorithm, state, key_file, public_key, created, "
                "retired_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s,
                {k.domain, k.selector, dkimAlgorithmName(k.algorithm), dkimKeyStateName(k.state), k.keyFile,
                 k.publicKey, k.created, retiredColumn(k.retiredAt)});
        return q.exec();
    }

    ConfigData readDraft() const
    {
        ConfigData c;
        for (Area a : kAllAreas) {
            c.area(a).domains = readDomains(a);
            c.area(a).users = readUsers(a, 0, -1, {});
        }
        c.settings = readSettings();
        c.routes = readRoutes();
        c.dkimKeys = readDkimKeys({});
        c.waves = readWaveTable(db);
        return c;
    }

    Result<ConfigData> readGeneration(qint64 number) const
    {
        using R = Result<ConfigData>;
        Query q(db, u"SELECT snapshot FROM generations WHERE number = ?"_s, {number});
        if (Status st = q.exec(); !st)
            return R::failure(st.error);
        if (!q.next())
            return R::failure(u"generation %1 does not exist"_s.arg(number));
        Result<ConfigData> c = GenerationCodec::decode(q.value(0).toByteArray());
        if (!c)
            return R::failure(u"generation %1 cannot be read: %2"_s.arg(number).arg(c.error));
        return c;
    }

    qint64 maxGeneration() const
    {
        Query q(db, u"SELECT coalesce(max(number), 0) FROM generations"_s);
        if (!q.exec() || !q.next())
            return 0;
        return q.value(0).toLongLong();
    }

    // Merge of the sorted new rows with the stored list (same order): the
    // counts, and with `maxEdits` > 0 also the edits that turn the stored list
    // into the new one, unless there are more than `maxEdits` of them.
    Result<ImportEdits> compareWithStored(Area area, const QList<UserMapping> &rows, const SortedKeys &keys,
                                          qsizetype maxEdits = 0) const
    {
        using R = Result<ImportEdits>;
        ImportEdits e;
        e.complete = maxEdits > 0;
        auto edit = [&]() {
            if (e.complete &&
                e.removedKeys.size() + qsizetype(e.changed.size() + e.added.size()) >= maxEdits) {
                e.complete = false;
                e.removedKeys.clear();
                e.changed = {};
                e.added = {};
            }
            return e.complete;
        };
        ImportCounts &c = e.counts;
        Query q(db,
                u"SELECT source_key, source, target FROM user_mappings WHERE area = ? ORDER BY source_key"_s,
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

    // Applies the edits of compareWithStored() inside the caller's transaction.
    Status applyEdits(Area area, const QList<UserMapping> &rows, const SortedKeys &keys, const ImportEdits &e)
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
                    return Status::failure(u"cannot store the user mapping for %1: %2"_s.arg(
                        m.source, describe(upd.lastError())));
            }
        }
        return insertUsers(area, rows, keys, &e.added);
    }

    // Bulk insert in key order, inside the caller's transaction. Rows go in
    // batches of kInsertBatch per statement: the statement is prepared once
    // and reused, values bound positionally, and the per-exec overhead of
    // Qt Sql (which dominated one-row inserts) is paid once per batch.
    Status insertUsers(Area area, const QList<UserMapping> &rows, const SortedKeys &keys,
                       const std::vector<qsizetype> *only = nullptr)
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

    // Replaces the whole draft with `c` (rollback).
    Status replaceDraft(const ConfigData &c)
    {
        for (const QString &sql : {u"DELETE FROM domain_mappings"_s, u"DELETE FROM user_mappings"_s,
                                   u"DELETE FROM settings"_s, u"DELETE FROM routes"_s,
                                   u"DELETE FROM dkim_keys"_s, u"DELETE FROM waves"_s}) {
            Query q(db, sql);
            if (Status st = q.exec(); !st)
                return st;
        }
        for (Area a : kAllAreas) {
            for (const DomainMapping &m : c.area(a).domains) {
                Query q(db, u"INSERT INTO domain_mappings (area, source, target) VALUES (?, ?, ?)"_s,
                        {areaKey(a), m.source, m.target});
                if (Status st = q.exec(); !st)
                    return st;
            }
            if (!c.area(a).users.isEmpty()) {
                if (!areaHasUsers(a))
                    return Status::failure(noUsersError(a));
                const SortedKeys keys(c.area(a).users);
                if (Status st = insertUsers(a, c.area(a).users, keys); !st)
                    return st;
            }
        }
        for (auto it = c.settings.cbegin(); it != c.settings.cend(); ++it) {
            Query q(db, u"INSERT INTO settings (key, value) VALUES (?, ?)"_s, {it.key(), it.value()});
            if (Status st = q.exec(); !st)
                return st;
        }
        for (const TransportRoute &r : c.routes) {
            Query q(db, u"INSERT INTO routes (domain, next_hop, tls) VALUES (?, ?, ?)"_s,
                    {r.domain, r.nextHop, tlsColumn(r.tls)});
            if (Status st = q.exec(); !st)
                return st;
        }
        for (const DkimKey &k : c.dkimKeys) {
            if (Status st = insertDkimKey(k); !st)
                return st;
        }
        for (const Wave &w : c.waves) {
            if (Status st = insertWaveRow(db, w); !st)
                return st;
        }
        return okStatus();
    }

    QList<ActionLogEntry> readActionLog(const QString &sql, const QVariantList &values) const
    {
        QList<ActionLogEntry> out;
        Query q(db, sql, values);
        if (!q.exec())
            return out;
        while (q.next()) {
            ActionLogEntry e;
            e.id = q.value(0).toLongLong();
            e.time = fromMs(q.value(1).toLongLong());
            if (!q.value(2).isNull())
                e.area = areaFromKey(q.value(2).toString());
            e.message = q.value(3).toString();
            out.append(e);
        }
        return out;
    }
};

// ---------------------------------------------------------------------------

ConfigStore::ConfigStore(QString path) : d(std::make_unique<Private>())
{
    static QAtomicInteger<quint64> serial;
    d->path = std::move(path);
    d->connectionName = u"mailroute.configstore.%1"_s.arg(serial.fetchAndAddRelaxed(1));
}

ConfigStore::~ConfigStore()
{
    if (d->db.isValid())
        d->db.close();
    d->db = QSqlDatabase();
    if (QSqlDatabase::contains(d->connectionName))
        QSqlDatabase::removeDatabase(d->connectionName);
}

QString ConfigStore::resolveDatabasePath(const QString &explicitPath)
{
    if (!explicitPath.isEmpty())
        return explicitPath;
    const QString env = qEnvironmentVariable("MAILROUTE_DB");
    if (!env.isEmpty())
        return env;
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/mailroute.db"_s;
}

int ConfigStore::latestSchemaVersion()
{
    return SchemaMigration::latestVersion();
}

Status ConfigStore::open()
{
    if (d->isOpen)
        return okStatus();
    if (d->path.isEmpty())
        return Status::failure(u"no database path given"_s);
    const QFileInfo info(d->path);
    if (!QDir().mkpath(info.absolutePath()))
        return Status::failure(u"cannot create the folder %1"_s.arg(info.absolutePath()));
    if (info.exists() && !info.isFile())
        return Status::failure(u"%1 is not a file"_s.arg(d->path));

    if (!QSqlDatabase::contains(d->connectionName))
        d->db = QSqlDatabase::addDatabase(u"QSQLITE"_s, d->connectionName);
    d->db.setDatabaseName(d->path);
    if (!d->db.open())
        return Status::failure(describe(d->db.lastError()));

    auto fail = [this](const QString &why) {
        d->db.close();
        return Status::failure(why);
    };
    // The busy timeout first, so the statements after it wait for a lock held
    // by another process instead of failing.
    const QList<QPair<QString, QString>> pragmas{
        {u"PRAGMA busy_timeout = %1"_s.arg(kBusyTimeoutMs), {}},
        {u"PRAGMA journal_mode = WAL"_s, u"wal"_s},
        // NORMAL is durable enough for configuration in WAL mode (a power cut
        // can lose the last commit, never corrupt); the spool uses FULL.
        {u"PRAGMA synchronous = NORMAL"_s, {}},
        {u"PRAGMA foreign_keys = ON"_s, {}},
        // A million-row import leaves a WAL of its size; cut it back after
        // the checkpoint instead of keeping 100+ MB of stale log on disk.
        {u"PRAGMA journal_size_limit = %1"_s.arg(32 * 1024 * 1024), {}},
    };
    for (const auto &[sql, expected] : pragmas) {
        QSqlQuery q(d->db);
        if (!q.exec(sql)) {
            const QString why = describe(q.lastError());
            q.finish();
            return fail(u"%1 is not a usable MailRoute database: %2"_s.arg(d->path, why));
        }
        if (!expected.isEmpty() &&
            (!q.next() || q.value(0).toString().compare(expected, Qt::CaseInsensitive) != 0)) {
            const QString got = q.value(0).toString();
            q.finish();
            return fail(
                u"cannot switch %1 to write-ahead logging (journal mode is \"%2\")"_s.arg(d->path, got));
        }
    }
    const Result<int> version = SchemaMigration::migrate(d->db);
    if (!version)
        return fail(u"%1: %2"_s.arg(d->path, version.error));
    d->schemaVersion = *version;
    d->guard = DatabaseFileGuard(d->path);
    d->isOpen = true;
    if (const Status st = d->migrateRetiredSettings(); !st) {
        d->isOpen = false;
        return fail(u"%1: cannot migrate retired settings: %2"_s.arg(d->path, st.error));
    }
    return okStatus();
}

QString ConfigStore::path() const
{
    return d->path;
}

int ConfigStore::schemaVersion() const
{
    return d->schemaVersion;
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
            if (Status e = storeConfirmation(d->db, ConfirmationRequest::forUpload(
                                                        area, rows.size(), counts.added, counts.changed,
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

// ---- routes ----------------------------------------------------------------

QList<TransportRoute> ConfigStore::routes() const
{
    if (!d->isOpen)
        return {};
    return d->readRoutes();
}

Status ConfigStore::setRoute(const QString &domain, const QString &nextHop, std::optional<TlsPolicy> tls)
{
    const Result<QString> dom = domainArg(domain, u"route"_s);
    if (!dom)
        return Status::failure(dom.error);
    const Result<QString> hop = nextHopArg(nextHop);
    if (!hop)
        return Status::failure(hop.error);
    return d->write([&](bool &changed) -> Status {
        {
            Query cur(d->db, u"SELECT next_hop, tls FROM routes WHERE domain = ?"_s, {*dom});
            if (Status st = cur.exec(); !st)
                return st;
            if (cur.next() && cur.value(0).toString() == *hop && parseTlsPolicy(cur.value(1).toString()) == tls) {
                changed = false;
                return okStatus();
            }
        }
        Query q(d->db, u"INSERT OR REPLACE INTO routes (domain, next_hop, tls) VALUES (?, ?, ?)"_s,
                {*dom, *hop, tlsColumn(tls)});
        if (Status st = q.exec(); !st)
            return st;
        return d->log(std::nullopt, tls ? u"Route set : %1 to %2 (tls %3),"_s.arg(*dom, *hop, tlsPolicyName(*tls))
                                        : u"Route set : %1 to %2,"_s.arg(*dom, *hop));
    });
}

Status ConfigStore::removeRoute(const QString &domain)
{
    const Result<QString> dom = domainArg(domain, u"route"_s);
    if (!dom)
        return Status::failure(dom.error);
    return d->write([&](bool &) -> Status {
        Query q(d->db, u"DELETE FROM routes WHERE domain = ?"_s, {*dom});
        if (Status st = q.exec(); !st)
            return st;
        if (q.rowsAffected() < 1)
            return Status::failure(u"no route for %1"_s.arg(*dom));
        return d->log(std::nullopt, u"Route deleted : %1,"_s.arg(*dom));
    });
}

// ---- DKIM keys -------------------------------------------------------------

QList<DkimKey> ConfigStore::dkimKeys(const QString &domain) const
{
    if (!d->isOpen)
        return {};
    if (domain.isEmpty())
        return d->readDkimKeys({});
    const Result<QString> dom = normalizeDomain(QStringView(domain).trimmed());
    return dom ? d->readDkimKeys(*dom) : QList<DkimKey>();
}

Status ConfigStore::addDkimKey(const DkimKey &key)
{
    const Result<QString> dom = domainArg(key.domain, u"DKIM"_s);
    if (!dom)
        return Status::failure(dom.error);
    const Result<QString> sel = dkimSelectorArg(key.selector);
    if (!sel)
        return Status::failure(sel.error);
    if (key.publicKey.isEmpty() || !QFileInfo(key.keyFile).isAbsolute())
        return Status::failure(u"a DKIM key needs its public key and the absolute path of its key file"_s);
    DkimKey k = key;
    k.domain = *dom;
    k.selector = *sel;
    if (k.created <= 0)
        k.created = nowMs();
    return d->write([&](bool &) -> Status {
        for (const DkimKey &other : d->readDkimKeys(k.domain)) {
            if (other.selector == k.selector)
                return Status::failure(
                    u"%1 already has a DKIM key with selector %2; choose another selector"_s.arg(k.domain, k.selector));
            if (k.state == DkimKeyState::Active && other.state == DkimKeyState::Active)
                return Status::failure(u"%1 already has an active DKIM key (%2); a new one starts pending"_s.arg(
                    k.domain, other.selector));
        }
        if (Status st = d->insertDkimKey(k); !st)
            return st;
        return d->log(std::nullopt, u"DKIM key added : %1,"_s.arg(dkimKeyText(k)));
    });
}

Status ConfigStore::setDkimKeyState(const QString &domain, const QString &selector, DkimKeyState state)
{
    const Result<QString> dom = domainArg(domain, u"DKIM"_s);
    if (!dom)
        return Status::failure(dom.error);
    const Result<QString> sel = dkimSelectorArg(selector);
    if (!sel)
        return Status::failure(sel.error);
    return d->write([&](bool &changed) -> Status {
        const QList<DkimKey> keys = d->readDkimKeys(*dom);
        const auto it = std::find_if(keys.cbegin(), keys.cend(), [&](const DkimKey &k) { return k.selector == *sel; });
        if (it == keys.cend())
            return Status::failure(u"%1 has no DKIM key with selector %2"_s.arg(*dom, *sel));
        if (it->state == state) {
            changed = false;
            return okStatus();
        }
        const qint64 now = nowMs();
        auto update = [&](const DkimKey &k, DkimKeyState to) -> Status {
            Query q(d->db, u"UPDATE dkim_keys SET state = ?, retired_at = ? WHERE domain = ? AND selector = ?"_s,
                    {dkimKeyStateName(to), retiredColumn(to == DkimKeyState::Retired ? now : 0), k.domain,
                     k.selector});
            if (Status st = q.exec(); !st)
                return st;
            DkimKey after = k;
            after.state = to;
            return d->log(std::nullopt, u"DKIM key %1 : %2,"_s.arg(dkimKeyStateName(to), dkimKeyText(after)));
        };
        if (state == DkimKeyState::Active) {
            // One key signs per domain: the one it replaces retires.
            for (const DkimKey &k : keys) {
                if (k.selector != *sel && k.state == DkimKeyState::Active) {
                    if (Status st = update(k, DkimKeyState::Retired); !st)
                        return st;
                }
            }
        }
        return update(*it, state);
    });
}

Status ConfigStore::removeDkimKey(const QString &domain, const QString &selector)
{
    const Result<QString> dom = domainArg(domain, u"DKIM"_s);
    if (!dom)
        return Status::failure(dom.error);
    const Result<QString> sel = dkimSelectorArg(selector);
    if (!sel)
        return Status::failure(sel.error);
    return d->write([&](bool &) -> Status {
        const QList<DkimKey> keys = d->readDkimKeys(*dom);
        const auto it = std::find_if(keys.cbegin(), keys.cend(), [&](const DkimKey &k) { return k.selector == *sel; });
        if (it == keys.cend())
            return Status::failure(u"%1 has no DKIM key with selector %2"_s.arg(*dom, *sel));
        Query q(d->db, u"DELETE FROM dkim_keys WHERE domain = ? AND selector = ?"_s, {*dom, *sel});
        if (Status st = q.exec(); !st)
            return st;
        return d->log(std::nullopt, u"DKIM key deleted : %1,"_s.arg(dkimKeyText(*it)));
    });
}

Result<bool> ConfigStore::generationsUseDkimKeyFile(const QString &keyFile) const
{
    using R = Result<bool>;
    if (!d->isOpen)
        return R::failure(notOpenError());
    Query q(d->db, u"SELECT snapshot FROM generations"_s);
    if (Status st = q.exec(); !st)
        return R::failure(st.error);
    const QByteArray needle = keyFile.toUtf8();
    while (q.next()) {
        if (GenerationCodec::mentions(q.value(0).toByteArray(), needle))
            return R::success(true);
    }
    return R::success(false);
}

// ---- settings --------------------------------------------------------------

Status ConfigStore::setSetting(const QString &key, const QString &value)
{
    const Result<QString> canonical = SettingsSchema::validate(key, value);
    if (!canonical)
        return Status::failure(canonical.error);
    return d->write([&](bool &changed) -> Status {
        {
            Query cur(d->db, u"SELECT value FROM settings WHERE key = ?"_s, {key});
            if (Status st = cur.exec(); !st)
                return st;
            if (cur.next() && cur.value(0).toString() == *canonical) {
                changed = false;
                return okStatus();
            }
        }
        Query q(d->db, u"INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)"_s, {key, *canonical});
        if (Status st = q.exec(); !st)
            return st;
        return d->log(std::nullopt, u"Setting changed : %1 = %2"_s.arg(key, *canonical));
    });
}

Status ConfigStore::resetSetting(const QString &key)
{
    const SettingDef *def = SettingsSchema::find(key);
    if (const QString retired = SettingsMigration::retiredKeyMessage(key); !def && !retired.isEmpty())
        return Status::failure(retired);
    if (!def)
        return Status::failure(u"unknown setting \"%1\""_s.arg(key));
    return d->write([&](bool &changed) -> Status {
        Query q(d->db, u"DELETE FROM settings WHERE key = ?"_s, {key});
        if (Status st = q.exec(); !st)
            return st;
        if (q.rowsAffected() < 1) {
            changed = false;
            return okStatus();
        }
        return d->log(std::nullopt, u"Setting reset : %1 = %2 (default)"_s.arg(key, def->defaultValue));
    });
}

QString ConfigStore::setting(const QString &key) const
{
    if (d->isOpen) {
        Query q(d->db, u"SELECT value FROM settings WHERE key = ?"_s, {key});
        if (q.exec() && q.next())
            return q.value(0).toString();
    }
    const SettingDef *def = SettingsSchema::find(key);
    return def ? def->defaultValue : QString();
}

QMap<QString, QString> ConfigStore::explicitSettings() const
{
    if (!d->isOpen)
        return {};
    return d->readSettings();
}

// ---- draft, generations, push, rollback ------------------------------------

ConfigData ConfigStore::draft() const
{
    if (!d->isOpen)
        return {};
    Transaction tx(d->db);
    if (!tx.begin(Transaction::Kind::Read))
        return {};
    ConfigData c = d->readDraft();
    tx.commit();
    return c;
}

std::optional<qint64> ConfigStore::activeGeneration() const
{
    if (!d->isOpen)
        return std::nullopt;
    return d->metaInt(u"active_generation"_s);
}

Result<ConfigData> ConfigStore::generationConfig(qint64 generation) const
{
    if (!d->isOpen)
        return Result<ConfigData>::failure(notOpenError());
    return d->readGeneration(generation);
}

QList<GenerationInfo> ConfigStore::generations() const
{
    QList<GenerationInfo> out;
    if (!d->isOpen)
        return out;
    Transaction tx(d->db);
    if (!tx.begin(Transaction::Kind::Read))
        return out;
    const std::optional<qint64> active = d->metaInt(u"active_generation"_s);
    Query q(d->db,
            u"SELECT number, created, domain_count, user_count FROM generations ORDER BY number DESC"_s);
    if (!q.exec())
        return out;
    while (q.next()) {
        GenerationInfo g;
        g.number = q.value(0).toLongLong();
        g.created = fromMs(q.value(1).toLongLong());
        g.domainCount = q.value(2).toLongLong();
        g.userCount = q.value(3).toLongLong();
        g.active = active && *active == g.number;
        out.append(g);
    }
    return out;
}

ConfigDiff ConfigStore::pendingDiff() const
{
    if (!d->isOpen)
        return {};
    ConfigData active;
    ConfigData draftCfg;
    {
        Transaction tx(d->db);
        if (!tx.begin(Transaction::Kind::Read))
            return {};
        if (const std::optional<qint64> g = d->metaInt(u"active_generation"_s)) {
            Result<ConfigData> c = d->readGeneration(*g);
            if (c)
                active = std::move(*c);
            else
                qCWarning(lcStore) << c.error;
        }
        draftCfg = d->readDraft();
    }
    ConfigDiff diff = diffConfig(active, draftCfg);
    describeSettingDefaults(diff); // old -> new for a setting set or reset
    return diff;
}

Result<PushResult> ConfigStore::push()
{
    using R = Result<PushResult>;
    if (!d->isOpen)
        return R::failure(notOpenError());
    for (int attempt = 0; attempt < kPushAttempts; ++attempt) {
        // Read and compile outside the write lock: for a million users this is
        // the slow part, and other writers should not wait for it. The counter
        // read with the draft detects a change in between.
        ConfigData draftCfg;
        std::optional<qint64> active;
        qint64 counter = 0;
        qint64 next = 0;
        PushResult result;
        {
            ConfigData activeCfg;
            {
                Transaction tx(d->db);
                if (Status st = tx.begin(Transaction::Kind::Read); !st)
                    return R::failure(st.error);
                counter = d->metaInt(u"change_counter"_s).value_or(0);
                active = d->metaInt(u"active_generation"_s);
                if (active) {
                    Result<ConfigData> c = d->readGeneration(*active);
                    if (!c)
                        return R::failure(u"the active configuration cannot be read: %1"_s.arg(c.error));
                    activeCfg = std::move(*c);
                }
                draftCfg = d->readDraft();
                next = d->maxGeneration() + 1;
            }
            if (Status st = validateForPush(draftCfg); !st)
                return R::failure(u"the draft is invalid: %1; nothing was pushed"_s.arg(st.error));
            result.diff = diffConfig(activeCfg, draftCfg);
            describeSettingDefaults(result.diff);
        }
        result.lint = lintConfig(draftCfg);
        if (active && result.diff.isEmpty()) {
            result.unchanged = true;
            result.generation = *active;
            result.snapshot = RoutingSnapshot::compile(draftCfg, *active);
            return R::success(std::move(result));
        }
        result.snapshot = RoutingSnapshot::compile(draftCfg, next);
        if (!result.snapshot)
            return R::failure(u"the draft cannot be compiled; nothing was pushed"_s);
        const QByteArray blob = GenerationCodec::encode(draftCfg);

        bool raced = false;
        const Status st = d->write([&](bool &) -> Status {
            if (d->metaInt(u"change_counter"_s).value_or(0) != counter) {
                raced = true;
                return Status::failure(u"the draft changed during the push"_s);
            }
            if (Status e = insertGeneration(d->db, next, blob, draftCfg); !e)
                return e;
            if (Status e = d->setMeta(u"active_generation"_s, next); !e)
                return e;
            for (const std::optional<Area> &a : logAreasOf(result.diff)) {
                if (Status e = d->log(a, u"Update configuration request submitted"_s); !e)
                    return e;
                if (Status e = d->log(a, u"Configuration generation %1 is active."_s.arg(next)); !e)
                    return e;
            }
            return confirmPushIfWanted(d->db, next, draftCfg, result.diff);
        });
        if (raced)
            continue;
        if (!st)
            return R::failure(st.error + u"; nothing was pushed"_s);
        result.generation = next;
        return R::success(std::move(result));
    }
    return R::failure(u"the draft kept changing during the push; nothing was pushed, try again"_s);
}

Result<qint64> ConfigStore::rollback(std::optional<qint64> generation)
{
    using R = Result<qint64>;
    qint64 target = 0;
    const Status st = d->write([&](bool &) -> Status {
        const std::optional<qint64> active = d->metaInt(u"active_generation"_s);
        if (generation) {
            target = *generation;
        } else {
            if (!active)
                return Status::failure(u"no generation is active, so there is nothing to roll back"_s);
            Query q(d->db, u"SELECT max(number) FROM generations WHERE number < ?"_s, {*active});
            if (Status e = q.exec(); !e)
                return e;
            if (!q.next() || q.value(0).isNull())
                return Status::failure(
                    u"generation %1 is the oldest one; there is no earlier generation to roll back to"_s.arg(
                        *active));
            target = q.value(0).toLongLong();
        }
        if (active && *active == target)
            return Status::failure(u"generation %1 is already active"_s.arg(target));
        Result<ConfigData> cfg = d->readGeneration(target);
        if (!cfg)
            return Status::failure(cfg.error);
        ConfigData before;
        if (active) {
            Result<ConfigData> cur = d->readGeneration(*active);
            if (cur)
                before = std::move(*cur);
        }
        if (Status e = d->replaceDraft(*cfg); !e)
            return e;
        if (Status e = d->setMeta(u"active_generation"_s, target); !e)
            return e;
        // Both snapshots list rows in store order, so == tells which areas change.
        QList<std::optional<Area>> logAreas;
        for (Area a : kAllAreas) {
            if (!(before.area(a) == cfg->area(a)))
                logAreas.append(a);
        }
        if (logAreas.isEmpty())
            logAreas.append(std::nullopt);
        for (const std::optional<Area> &a : std::as_const(logAreas)) {
            if (Status e = d->log(a, u"Configuration rolled back to generation %1."_s.arg(target)); !e)
                return e;
        }
        return okStatus();
    });
    if (!st)
        return R::failure(st.error);
    return R::success(target);
}

// ---- logs ------------------------------------------------------------------

Status ConfigStore::logAction(std::optional<Area> area, const QString &message)
{
    return d->write([&](bool &) { return d->log(area, message); });
}

QList<ActionLogEntry> ConfigStore::actionLog(std::optional<Area> area, qint64 afterId, int limit) const
{
    if (!d->isOpen)
        return {};
    if (area)
        return d->readActionLog(
            u"SELECT id, time, area, message FROM action_log WHERE area = ? AND id > ? ORDER BY id LIMIT ?"_s,
            {areaKey(*area), afterId, limit});
    return d->readActionLog(
        u"SELECT id, time, area, message FROM action_log WHERE id > ? ORDER BY id LIMIT ?"_s,
        {afterId, limit});
}

QList<ActionLogEntry> ConfigStore::recentActionLog(std::optional<Area> area, int limit) const
{
    if (!d->isOpen)
        return {};
    QList<ActionLogEntry> out;
    if (area)
        out = d->readActionLog(
            u"SELECT id, time, area, message FROM action_log WHERE area = ? ORDER BY id DESC LIMIT ?"_s,
            {areaKey(*area), limit});
    else
        out = d->readActionLog(u"SELECT id, time, area, message FROM action_log ORDER BY id DESC LIMIT ?"_s,
                               {limit});
    std::reverse(out.begin(), out.end());
    return out;
}

Result<qint64> ConfigStore::appendMessageEvents(const QList<MessageLogEntry> &events)
{
    return appendMessageEvents(events, {});
}

Result<qint64> ConfigStore::appendMessageEvents(const QList<MessageLogEntry> &events,
                                                const std::function<Status(QSqlDatabase &)> &alsoInTransaction)
{
    using R = Result<qint64>;
    qint64 lastId = 0;
    const Status st = d->write(
        [&](bool &changed) -> Status {
            if (events.isEmpty()) {
                changed = false;
                return okStatus();
            }
            QSqlQuery q(d->db);
            if (!q.prepare(
                    u"INSERT INTO message_log (time, queue_id, event, area, fields) VALUES (?, ?, ?, ?, ?)"_s))
                return Status::failure(describe(q.lastError()));
            for (const MessageLogEntry &e : events) {
                if (e.event == MessageEvent::Other)
                    return Status::failure(u"a message log entry needs an event of a known kind"_s);
                q.bindValue(0, e.time.isValid() ? e.time.toMSecsSinceEpoch() : nowMs());
                q.bindValue(1, e.queueId.isEmpty() ? nullText() : QVariant(e.queueId));
                q.bindValue(2, e.eventName());
                q.bindValue(3, areaValue(e.area));
                q.bindValue(
                    4,
                    QString::fromUtf8(
                        QJsonDocument(QJsonObject::fromVariantMap(e.fields)).toJson(QJsonDocument::Compact)));
                if (!q.exec())
                    return Status::failure(describe(q.lastError()));
                lastId = q.lastInsertId().toLongLong();
            }
            q.finish();
            return alsoInTransaction ? alsoInTransaction(d->db) : okStatus();
        },
        false);
    if (!st)
        return R::failure(st.error);
    return R::success(lastId);
}

QList<MessageLogEntry> ConfigStore::messageLog(qint64 afterId, int limit, const QString &queueId) const
{
    QList<MessageLogEntry> out;
    if (!d->isOpen)
        return out;
    QString sql = u"SELECT id, time, queue_id, event, area, fields FROM message_log WHERE id > ?"_s;
    QVariantList values{afterId};
    if (!queueId.isEmpty()) {
        sql += u" AND queue_id = ?"_s;
        values << queueId;
    }
    sql += u" ORDER BY id LIMIT ?"_s;
    values << limit;
    Query q(d->db, sql, values);
    if (!q.exec())
        return out;
    while (q.next()) {
        MessageLogEntry e;
        e.id = q.value(0).toLongLong();
        e.time = fromMs(q.value(1).toLongLong());
        e.queueId = q.value(2).toString();
        e.event = messageEventFromName(q.value(3).toString()).value_or(MessageEvent::Other);
        if (!q.value(4).isNull())
            e.area = areaFromKey(q.value(4).toString());
        e.fields = QJsonDocument::fromJson(q.value(5).toString().toUtf8()).object().toVariantMap();
        out.append(e);
    }
    return out;
}

Result<qint64> ConfigStore::pruneMessageLog(const QDateTime &before)
{
    using R = Result<qint64>;
    qint64 removed = 0;
    const Status st = d->write(
        [&](bool &changed) -> Status {
            Query q(d->db, u"DELETE FROM message_log WHERE time < ?"_s, {before.toMSecsSinceEpoch()});
            if (Status e = q.exec(); !e)
                return e;
            removed = q.rowsAffected();
            changed = removed > 0;
            return okStatus();
        },
        false);
    if (!st)
        return R::failure(st.error);
    return R::success(removed);
}

// ---- confirmations (confirmationrequest.h) ----------------------------------
// Kept as rows of the meta table ("confirmation:<ms>:<random>" -> JSON), so
// no schema step is needed: a push or upload writes one in its own
// transaction, the process that runs the relay reads and removes them.

QList<ConfirmationRequest> ConfigStore::pendingConfirmations(int limit) const
{
    QList<ConfirmationRequest> out;
    if (!d->isOpen)
        return out;
    Query q(d->db, u"SELECT key, value FROM meta WHERE key > 'confirmation:' AND key < 'confirmation;' ORDER BY key LIMIT ?"_s,
            {limit});
    if (!q.exec())
        return out;
    while (q.next()) {
        if (auto r = ConfirmationRequest::fromJson(q.value(0).toString(), q.value(1).toString()))
            out << *r;
    }
    return out;
}

Status ConfigStore::removeConfirmation(const QString &key)
{
    if (!key.startsWith(u"confirmation:"_s))
        return Status::failure(u"not a confirmation: %1"_s.arg(key));
    return d->write(
        [&](bool &) -> Status {
            Query q(d->db, u"DELETE FROM meta WHERE key = ?"_s, {key});
            return q.exec();
        },
        false);
}

qint64 ConfigStore::changeCounter() const
{
    if (!d->isOpen)
        return 0;
    return d->metaInt(u"change_counter"_s).value_or(0);
}

// ---- migration waves (issue 15) ---------------------------------------------

QList<Wave> ConfigStore::waves() const
{
    if (!d->isOpen)
        return {};
    return readWaveTable(d->db);
}

std::optional<Wave> ConfigStore::wave(const QString &name) const
{
    for (const Wave &w : waves()) {
        if (w.name == name)
            return w;
    }
    return std::nullopt;
}

Status ConfigStore::addWave(const Wave &wave)
{
    Wave w = wave;
    if (Status st = validateWave(w); !st)
        return st;
    return d->write([&](bool &) -> Status {
        Query q(d->db, u"SELECT 1 FROM waves WHERE name = ?"_s, {w.name});
        if (Status st = q.exec(); !st)
            return st;
        if (q.next())
            return Status::failure(u"a wave named %1 already exists"_s.arg(w.name));
        if (Status st = insertWaveRow(d->db, w); !st)
            return st;
        return d->log(w.area, u"Wave %1 created: %2 users at %3%4%5"_s.arg(w.name)
                                  .arg(w.users.size())
                                  .arg(waveTimeIso(w.at),
                                       w.expire.isValid() ? u" until "_s + waveTimeIso(w.expire) : QString(),
                                       w.withOutbound ? u" with their Outbound inverses"_s : QString()));
    });
}

Status ConfigStore::removeWave(const QString &name)
{
    return d->write([&](bool &) -> Status {
        Query q(d->db, u"DELETE FROM waves WHERE name = ?"_s, {name});
        if (Status st = q.exec(); !st)
            return st;
        if (q.rowsAffected() < 1)
            return Status::failure(u"no wave named %1 in the draft"_s.arg(name));
        return d->log(std::nullopt, u"Wave %1 removed from the draft"_s.arg(name));
    });
}

Status ConfigStore::setWaveApplyAnyway(const QString &name, bool applyAnyway)
{
    return d->write([&](bool &changed) -> Status {
        Query q(d->db, u"SELECT apply_anyway FROM waves WHERE name = ?"_s, {name});
        if (Status st = q.exec(); !st)
            return st;
        if (!q.next())
            return Status::failure(u"no wave named %1 in the draft"_s.arg(name));
        if ((q.value(0).toInt() != 0) == applyAnyway) {
            changed = false;
            return okStatus();
        }
        Query u(d->db, u"UPDATE waves SET apply_anyway = ? WHERE name = ?"_s, {applyAnyway ? 1 : 0, name});
        if (Status st = u.exec(); !st)
            return st;
        return d->log(std::nullopt, applyAnyway ? u"Wave %1 will be applied even if its check fails"_s.arg(name)
                                                : u"Wave %1 will be held if its check fails"_s.arg(name));
    });
}

Result<PushResult> ConfigStore::pushFromActive(const std::function<void(ConfigData &)> &edit, const QString &what,
                                               const std::function<Status(QSqlDatabase &, qint64)> &inTransaction)
{
    using R = Result<PushResult>;
    if (!d->isOpen)
        return R::failure(notOpenError());
    for (int attempt = 0; attempt < kPushAttempts; ++attempt) {
        ConfigData activeCfg;
        ConfigData draftCfg;
        qint64 active = 0;
        qint64 counter = 0;
        qint64 next = 0;
        {
            Transaction tx(d->db);
            if (Status st = tx.begin(Transaction::Kind::Read); !st)
                return R::failure(st.error);
            counter = d->metaInt(u"change_counter"_s).value_or(0);
            const std::optional<qint64> a = d->metaInt(u"active_generation"_s);
            if (!a)
                return R::failure(u"no configuration has been pushed yet"_s);
            active = *a;
            Result<ConfigData> c = d->readGeneration(active);
            if (!c)
                return R::failure(u"the active configuration cannot be read: %1"_s.arg(c.error));
            activeCfg = std::move(*c);
            draftCfg = d->readDraft();
            next = d->maxGeneration() + 1;
        }
        ConfigData newActive = activeCfg;
        edit(newActive);
        ConfigData newDraft = draftCfg;
        edit(newDraft);
        if (Status st = validateForPush(newActive); !st)
            return R::failure(u"the resulting configuration is invalid: %1; nothing changed"_s.arg(st.error));
        PushResult result;
        result.diff = diffConfig(activeCfg, newActive);
        describeSettingDefaults(result.diff);
        result.lint = lintConfig(newActive);
        const bool unchanged = result.diff.isEmpty();
        if (!unchanged) {
            result.snapshot = RoutingSnapshot::compile(newActive, next);
            if (!result.snapshot)
                return R::failure(u"the resulting configuration cannot be compiled; nothing changed"_s);
        }
        const QByteArray blob = unchanged ? QByteArray() : GenerationCodec::encode(newActive);
        const ConfigDiff draftDiff = diffConfig(draftCfg, newDraft);
        bool raced = false;
        const Status st = d->write([&](bool &) -> Status {
            if (d->metaInt(u"change_counter"_s).value_or(0) != counter) {
                raced = true;
                return Status::failure(u"the draft changed meanwhile"_s);
            }
            if (unchanged) {
                if (Status e = d->log(std::nullopt, what + u"; the configuration already had its mappings"_s); !e)
                    return e;
                return inTransaction ? inTransaction(d->db, active) : okStatus();
            }
            if (Status e = insertGeneration(d->db, next, blob, newActive); !e)
                return e;
            if (Status e = d->setMeta(u"active_generation"_s, next); !e)
                return e;
            // The draft gets the same edit: the next push keeps what happened.
            for (Area a : kAllAreas) {
                const AreaDiff &ad = draftDiff.area(a);
                for (const UserMapping &m : ad.usersRemoved) {
                    const Result<MailAddress> k = parseMailbox(m.source);
                    Query q(d->db, u"DELETE FROM user_mappings WHERE area = ? AND source_key = ?"_s,
                            {areaKey(a), k ? k->key() : m.source});
                    if (Status e = q.exec(); !e)
                        return e;
                }
                QList<UserMapping> upserts = ad.usersAdded;
                for (const auto &[o, n] : ad.usersChanged) {
                    const Result<MailAddress> k = parseMailbox(o.source);
                    Query q(d->db, u"DELETE FROM user_mappings WHERE area = ? AND source_key = ?"_s,
                            {areaKey(a), k ? k->key() : o.source});
                    if (Status e = q.exec(); !e)
                        return e;
                    upserts.append(n);
                }
                for (const UserMapping &m : std::as_const(upserts)) {
                    const Result<MailAddress> k = parseMailbox(m.source);
                    Query q(d->db,
                            u"INSERT OR REPLACE INTO user_mappings (area, source_key, source, target) VALUES (?, ?, ?, ?)"_s,
                            {areaKey(a), k ? k->key() : m.source, m.source, m.target});
                    if (Status e = q.exec(); !e)
                        return e;
                }
            }
            for (const std::optional<Area> &a : logAreasOf(result.diff)) {
                if (Status e = d->log(a, what); !e)
                    return e;
                for (const QString &line : result.diff.toLines()) {
                    if (a && !line.startsWith(areaKey(*a) + u' '))
                        continue;
                    if (Status e = d->log(a, line); !e)
                        return e;
                }
                for (const LintFinding &f : result.lint) {
                    if (f.area != a)
                        continue;
                    if (Status e = d->log(a, u"Lint: "_s + f.message); !e)
                        return e;
                }
                if (Status e = d->log(a, u"Configuration generation %1 is active."_s.arg(next)); !e)
                    return e;
            }
            if (inTransaction) {
                if (Status e = inTransaction(d->db, next); !e)
                    return e;
            }
            return confirmPushIfWanted(d->db, next, newActive, result.diff);
        });
        if (raced)
            continue;
        if (!st)
            return R::failure(st.error + u"; nothing changed"_s);
        result.unchanged = unchanged;
        result.generation = unchanged ? active : next;
        return R::success(std::move(result));
    }
    return R::failure(u"the configuration kept changing; nothing changed, try again"_s);
}

QSqlDatabase ConfigStore::connection() const
{
    return d->db;
}

Status ConfigStore::writeTransaction(const std::function<Status(QSqlDatabase &)> &body)
{
    return d->write([&](bool &) -> Status { return body(d->db); });
}

Status ConfigStore::queueConfirmation(const ConfirmationRequest &request)
{
    return d->write([&](bool &) -> Status { return storeConfirmation(d->db, request); }, false);
}

} // namespace mailroute
