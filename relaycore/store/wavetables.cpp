#include "relaycore/store/wavetables.h"

#include "relaycore/sql/sqlite.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace mailroute {

namespace {

QString mappingsJson(const QList<WaveMapping> &list)
{
    QJsonArray a;
    for (const WaveMapping &m : list)
        a.append(QJsonArray{m.source, m.target});
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

QList<WaveMapping> mappingsFrom(const QJsonArray &a)
{
    QList<WaveMapping> out;
    out.reserve(a.size());
    for (const QJsonValue &v : a) {
        const QJsonArray pair = v.toArray();
        out.append({pair.at(0).toString(), pair.at(1).toString()});
    }
    return out;
}

QList<WaveMapping> mappingsFromJson(const QString &json)
{
    return mappingsFrom(QJsonDocument::fromJson(json.toUtf8()).array());
}

QVariant msOrNull(const QDateTime &t)
{
    return t.isValid() ? QVariant(t.toMSecsSinceEpoch()) : QVariant(QMetaType::fromType<qint64>());
}

QDateTime fromMsOrInvalid(const QVariant &v)
{
    return v.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(v.toLongLong(), Qt::UTC);
}

QString describe(const QSqlQuery &q)
{
    return sql::describe(q.lastError());
}

} // namespace

QList<Wave> readWaveTable(const QSqlDatabase &db)
{
    QList<Wave> out;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT name, area, at, expire, with_outbound, apply_anyway, users, outbound FROM waves "
                "ORDER BY name"_s))
        return out;
    while (q.next()) {
        Wave w;
        w.name = q.value(0).toString();
        w.area = areaFromKey(q.value(1).toString()).value_or(Area::Inbound);
        w.at = QDateTime::fromSecsSinceEpoch(q.value(2).toLongLong(), Qt::UTC);
        if (!q.value(3).isNull())
            w.expire = QDateTime::fromSecsSinceEpoch(q.value(3).toLongLong(), Qt::UTC);
        w.withOutbound = q.value(4).toInt() != 0;
        w.applyAnyway = q.value(5).toInt() != 0;
        w.users = mappingsFromJson(q.value(6).toString());
        w.outbound = mappingsFromJson(q.value(7).toString());
        out.append(w);
    }
    return out;
}

Status insertWaveRow(const QSqlDatabase &db, const Wave &w)
{
    QSqlQuery q(db);
    q.prepare(u"INSERT INTO waves (name, area, at, expire, with_outbound, apply_anyway, users, outbound) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s);
    q.addBindValue(w.name);
    q.addBindValue(areaKey(w.area));
    q.addBindValue(w.at.toSecsSinceEpoch());
    q.addBindValue(w.expire.isValid() ? QVariant(w.expire.toSecsSinceEpoch())
                                      : QVariant(QMetaType::fromType<qint64>()));
    q.addBindValue(w.withOutbound ? 1 : 0);
    q.addBindValue(w.applyAnyway ? 1 : 0);
    q.addBindValue(mappingsJson(w.users));
    q.addBindValue(mappingsJson(w.outbound));
    if (!q.exec())
        return Status::failure(u"cannot store wave %1: %2"_s.arg(w.name, describe(q)));
    return okStatus();
}

QString waveCheckToJson(const WaveCheck &check)
{
    QJsonArray items;
    for (const WaveCheckItem &i : check.items)
        items.append(QJsonObject{{u"kind"_s, waveCheckKindName(i.kind)},
                                 {u"passed"_s, i.passed},
                                 {u"subject"_s, i.subject},
                                 {u"text"_s, i.text}});
    const QJsonObject o{{u"time"_s, check.time.toMSecsSinceEpoch()},
                        {u"trigger"_s, check.trigger},
                        {u"probed"_s, check.probed},
                        {u"items"_s, items}};
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

std::optional<WaveCheck> waveCheckFromJson(const QString &json)
{
    const QJsonDocument doc = QJsonDocument::fromJson(json.toUtf8());
    if (!doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    WaveCheck c;
    c.time = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(o.value(u"time"_s).toDouble()), Qt::UTC);
    c.trigger = o.value(u"trigger"_s).toString();
    c.probed = o.value(u"probed"_s).toInt();
    for (const QJsonValue &v : o.value(u"items"_s).toArray()) {
        const QJsonObject io = v.toObject();
        WaveCheckItem i;
        const QString kind = io.value(u"kind"_s).toString();
        i.kind = kind == u"dns"_s     ? WaveCheckItem::Kind::Dns
                 : kind == u"probe"_s ? WaveCheckItem::Kind::Probe
                                      : WaveCheckItem::Kind::Lint;
        i.passed = io.value(u"passed"_s).toBool();
        i.subject = io.value(u"subject"_s).toString();
        i.text = io.value(u"text"_s).toString();
        c.items.append(i);
    }
    return c;
}

std::optional<WaveStatus> readWaveStatus(const QSqlDatabase &db, const QString &name, QString *error)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(
        u"SELECT state, checked_24h, checked_1h, last_check, activated_at, activated_generation, ended_at, "
        "ended_generation, replaced, note FROM wave_status WHERE name = ?"_s);
    q.addBindValue(name);
    if (!q.exec()) {
        if (error)
            *error = describe(q);
        return std::nullopt;
    }
    if (!q.next())
        return std::nullopt;
    WaveStatus s;
    s.state = parseWaveState(q.value(0).toString()).value_or(WaveState::Scheduled);
    s.checked24h = q.value(1).toInt() != 0;
    s.checked1h = q.value(2).toInt() != 0;
    if (!q.value(3).isNull())
        s.lastCheck = waveCheckFromJson(q.value(3).toString());
    s.activatedAt = fromMsOrInvalid(q.value(4));
    s.activatedGeneration = q.value(5).toLongLong();
    s.endedAt = fromMsOrInvalid(q.value(6));
    s.endedGeneration = q.value(7).toLongLong();
    const QJsonObject replaced = QJsonDocument::fromJson(q.value(8).toString().toUtf8()).object();
    s.replaced = mappingsFrom(replaced.value(u"users"_s).toArray());
    s.replacedOutbound = mappingsFrom(replaced.value(u"outbound"_s).toArray());
    s.note = q.value(9).toString();
    return s;
}

Status writeWaveStatus(const QSqlDatabase &db, const QString &name, const WaveStatus &s)
{
    QSqlQuery q(db);
    q.prepare(u"INSERT OR REPLACE INTO wave_status (name, state, checked_24h, checked_1h, last_check, "
              "activated_at, activated_generation, ended_at, ended_generation, replaced, note) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    q.addBindValue(name);
    q.addBindValue(waveStateName(s.state));
    q.addBindValue(s.checked24h ? 1 : 0);
    q.addBindValue(s.checked1h ? 1 : 0);
    q.addBindValue(s.lastCheck ? QVariant(waveCheckToJson(*s.lastCheck))
                               : QVariant(QMetaType::fromType<QString>()));
    q.addBindValue(msOrNull(s.activatedAt));
    q.addBindValue(s.activatedGeneration);
    q.addBindValue(msOrNull(s.endedAt));
    q.addBindValue(s.endedGeneration);
    QJsonArray users;
    QJsonArray outbound;
    for (const WaveMapping &m : s.replaced)
        users.append(QJsonArray{m.source, m.target});
    for (const WaveMapping &m : s.replacedOutbound)
        outbound.append(QJsonArray{m.source, m.target});
    q.addBindValue(
        QString::fromUtf8(QJsonDocument(QJsonObject{{u"users"_s, users}, {u"outbound"_s, outbound}})
                              .toJson(QJsonDocument::Compact)));
    q.addBindValue(s.note);
    if (!q.exec())
        return Status::failure(u"cannot store the status of wave %1: %2"_s.arg(name, describe(q)));
    return okStatus();
}

} // namespace mailroute
