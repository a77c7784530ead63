// QueueIdGenerator; see queueidgenerator.h for the layout. Engine thread.
#include "relaycore/queue/queueidgenerator.h"

#include <QRandomGenerator>

namespace mailroute {

namespace {

// Crockford's base32 alphabet is in ASCII order, so ids compare as their values do.
constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr int kTimeChars = 9;    // 45 bits of milliseconds: good until the year 3084
constexpr int kCounterChars = 2; // 1024 ids per millisecond before the time part carries
constexpr int kRandomChars = 4;  // 20 bits
constexpr int kCounterLimit = 1 << (5 * kCounterChars);
constexpr qint64 kTimeLimit = qint64(1) << (5 * kTimeChars);
static_assert(kTimeChars + kCounterChars + kRandomChars == QueueIdGenerator::kLength);

void append(QString &out, quint64 value, int chars)
{
    for (int i = chars - 1; i >= 0; --i)
        out.append(QLatin1Char(kAlphabet[(value >> (5 * i)) & 31]));
}

int digit(QChar c)
{
    for (int i = 0; i < 32; ++i) {
        if (c == QLatin1Char(kAlphabet[i]))
            return i;
    }
    return -1;
}

qint64 decode(QStringView text)
{
    qint64 value = 0;
    for (const QChar c : text)
        value = value * 32 + digit(c);
    return value;
}

} // namespace

QString QueueIdGenerator::next(const QDateTime &now)
{
    const qint64 msecs = qBound<qint64>(0, now.toMSecsSinceEpoch(), kTimeLimit - 1);
    if (msecs > m_lastMsecs) {
        m_lastMsecs = msecs;
        m_counter = 0;
    } else if (++m_counter == kCounterLimit) {
        ++m_lastMsecs;
        m_counter = 0;
    }
    QString id;
    id.reserve(kLength);
    append(id, quint64(m_lastMsecs), kTimeChars);
    append(id, quint64(m_counter), kCounterChars);
    append(id, QRandomGenerator::global()->bounded(1u << (5 * kRandomChars)), kRandomChars);
    return id;
}

void QueueIdGenerator::observe(const QString &queueId)
{
    if (!isWellFormed(queueId))
        return;
    const qint64 msecs = decode(QStringView(queueId).left(kTimeChars));
    const int counter = int(decode(QStringView(queueId).mid(kTimeChars, kCounterChars)));
    if (msecs > m_lastMsecs || (msecs == m_lastMsecs && counter > m_counter)) {
        m_lastMsecs = msecs;
        m_counter = counter;
    }
}

bool QueueIdGenerator::isWellFormed(const QString &queueId)
{
    if (queueId.size() != kLength)
        return false;
    for (const QChar c : queueId) {
        if (digit(c) < 0)
            return false;
    }
    return true;
}

} // namespace mailroute
