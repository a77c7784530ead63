#include "relaycore/routing/wave.h"

#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mailroute {

namespace {

constexpr std::array<WaveState, 6> kStates{WaveState::Scheduled, WaveState::Checked, WaveState::Held,
                                           WaveState::Active,    WaveState::Expired, WaveState::Cancelled};

} // namespace

QString waveStateName(WaveState state)
{
    switch (state) {
    case WaveState::Scheduled: return u"scheduled"_s;
    case WaveState::Checked: return u"checked"_s;
    case WaveState::Held: return u"held"_s;
    case WaveState::Active: return u"active"_s;
    case WaveState::Expired: return u"expired"_s;
    case WaveState::Cancelled: return u"cancelled"_s;
    }
    return u"scheduled"_s;
}

std::optional<WaveState> parseWaveState(const QString &text)
{
    const QString t = text.trimmed().toLower();
    for (WaveState s : kStates) {
        if (waveStateName(s) == t)
            return s;
    }
    return std::nullopt;
}

bool waveStateIsFinal(WaveState state)
{
    return state == WaveState::Expired || state == WaveState::Cancelled;
}

bool waveStateIsPending(WaveState state)
{
    return state == WaveState::Scheduled || state == WaveState::Checked || state == WaveState::Held;
}

QString waveCheckKindName(WaveCheckItem::Kind kind)
{
    switch (kind) {
    case WaveCheckItem::Kind::Lint: return u"lint"_s;
    case WaveCheckItem::Kind::Dns: return u"dns"_s;
    case WaveCheckItem::Kind::Probe: return u"probe"_s;
    }
    return u"lint"_s;
}

bool WaveCheck::passed() const
{
    return std::all_of(items.cbegin(), items.cend(), [](const WaveCheckItem &i) { return i.passed; });
}

QStringList WaveCheck::lines() const
{
    QStringList failed;
    QStringList ok;
    for (const WaveCheckItem &i : items) {
        QString line = u"%1 %2"_s.arg(i.passed ? u"ok  "_s : u"FAIL"_s, waveCheckKindName(i.kind));
        if (!i.subject.isEmpty())
            line += u" "_s + i.subject;
        line += u": "_s + i.text;
        (i.passed ? ok : failed).append(line);
    }
    return failed + ok;
}

std::optional<QString> waveNameError(const QString &name)
{
    static const QRegularExpression re(u"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"_s);
    if (name.isEmpty())
        return u"a wave needs a name"_s;
    if (!re.match(name).hasMatch())
        return u"invalid wave name \"%1\": use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"_s
            .arg(name);
    return std::nullopt;
}

WaveTime parseWaveTime(const QString &text, const QDateTime &now)
{
    const QString t = text.trimmed();
    static const QRegularExpression relative(u"^\\+(\\d{1,6})([smhd])$"_s);
    if (const QRegularExpressionMatch m = relative.match(t); m.hasMatch()) {
        const qint64 n = m.captured(1).toLongLong();
        const QChar unit = m.captured(2).at(0);
        const qint64 seconds = unit == u's' ? n : unit == u'm' ? n * 60 : unit == u'h' ? n * 3600 : n * 86400;
        QDateTime at = now.toUTC().addSecs(seconds);
        at.setTime(QTime(at.time().hour(), at.time().minute(), at.time().second()));
        return {at, {}};
    }
    // Date, 'T' (or a blank), time with optional seconds, then Z or ±hh:mm / ±hhmm.
    static const QRegularExpression iso(
        u"^(\\d{4}-\\d{2}-\\d{2})[T ](\\d{2}:\\d{2}(?::\\d{2})?)(Z|z|[+-]\\d{2}:?\\d{2})$"_s);
    const QRegularExpressionMatch m = iso.match(t);
    if (!m.hasMatch()) {
        static const QRegularExpression noZone(u"^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2})?$"_s);
        if (noZone.match(t).hasMatch())
            return {std::nullopt,
                    u"time \"%1\" has no zone: add Z (UTC) or an offset such as +01:00"_s.arg(t)};
        return {std::nullopt, u"invalid time \"%1\": use ISO 8601 with a zone (2026-12-12T22:00:00+01:00, "
                              "2026-12-12T21:00:00Z) or a relative time (+2h, +30m, +1d)"_s.arg(t)};
    }
    const QDate date = QDate::fromString(m.captured(1), u"yyyy-MM-dd"_s);
    QString timeText = m.captured(2);
    if (timeText.size() == 5)
        timeText += u":00"_s;
    const QTime time = QTime::fromString(timeText, u"HH:mm:ss"_s);
    if (!date.isValid() || !time.isValid())
        return {std::nullopt, u"invalid time \"%1\": no such date or time of day"_s.arg(t)};
    int offsetSecs = 0;
    const QString zone = m.captured(3);
    if (zone.compare(u"Z"_s, Qt::CaseInsensitive) != 0) {
        QString digits = zone.mid(1);
        digits.remove(u':');
        const int hours = digits.left(2).toInt();
        const int minutes = digits.mid(2, 2).toInt();
        if (hours > 14 || minutes > 59)
            return {std::nullopt, u"invalid time \"%1\": offset %2 is out of range"_s.arg(t, zone)};
        offsetSecs = (hours * 3600 + minutes * 60) * (zone.startsWith(u'-') ? -1 : 1);
    }
    const QDateTime local(date, time, Qt::OffsetFromUTC, offsetSecs);
    return {local.toUTC(), {}};
}

QString waveTimeText(const QDateTime &utc)
{
    if (!utc.isValid())
        return u"-"_s;
    const QDateTime local = utc.toLocalTime();
    const int offset = local.offsetFromUtc();
    const int a = std::abs(offset);
    return u"%1 %2%3:%4"_s.arg(local.toString(u"yyyy-MM-dd HH:mm"_s), offset < 0 ? u"-"_s : u"+"_s)
        .arg(a / 3600, 2, 10, QLatin1Char('0'))
        .arg((a % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString waveTimeIso(const QDateTime &utc)
{
    if (!utc.isValid())
        return {};
    return utc.toUTC().toString(u"yyyy-MM-ddTHH:mm:ss'Z'"_s);
}

} // namespace mailroute
