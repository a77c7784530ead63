#include "ui/wavetimeline.h"

#include <QAccessible>
#include <QHelpEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include <algorithm>
#include <array>
#include <climits>
#include <iterator>

namespace mailroute {

namespace {

constexpr int kMaxLanes = 6;

qint64 secondsBetween(const QDateTime &a, const QDateTime &b)
{
    return a.secsTo(b);
}

} // namespace

Tone waveStateTone(WaveState state)
{
    switch (state) {
    case WaveState::Scheduled: return Tone::Info;
    case WaveState::Checked: return Tone::Good;
    case WaveState::Held: return Tone::Warning;
    case WaveState::Active: return Tone::Good;
    case WaveState::Expired: return Tone::Info;
    case WaveState::Cancelled: return Tone::Bad;
    }
    return Tone::Info;
}

QString waveStateTitle(WaveState state)
{
    switch (state) {
    case WaveState::Scheduled: return WaveTimeline::tr("Scheduled");
    case WaveState::Checked: return WaveTimeline::tr("Checked");
    case WaveState::Held: return WaveTimeline::tr("Held");
    case WaveState::Active: return WaveTimeline::tr("Active");
    case WaveState::Expired: return WaveTimeline::tr("Expired");
    case WaveState::Cancelled: return WaveTimeline::tr("Cancelled");
    }
    return {};
}

QString waveCountdown(const QDateTime &at, const QDateTime &now)
{
    if (!at.isValid() || !now.isValid())
        return {};
    const qint64 s = secondsBetween(now, at);
    const qint64 a = s < 0 ? -s : s;
    if (a < 30)
        return WaveTimeline::tr("due now");
    QString span;
    if (a < 60)
        span = WaveTimeline::tr("%1 s").arg(a);
    else if (a < 3600)
        span = WaveTimeline::tr("%1 min").arg(a / 60);
    else if (a < 86400)
        span = WaveTimeline::tr("%1 h %2 min").arg(a / 3600).arg((a % 3600) / 60, 2, 10, QLatin1Char('0'));
    else
        span = WaveTimeline::tr("%1 d %2 h").arg(a / 86400).arg((a % 86400) / 3600);
    return s > 0 ? WaveTimeline::tr("in %1").arg(span) : WaveTimeline::tr("%1 ago").arg(span);
}

WaveTimeline::WaveTimeline(QWidget *parent) : QWidget(parent), m_now(QDateTime::currentDateTimeUtc())
{
    setObjectName(QStringLiteral("waveTimeline"));
    setAccessibleName(tr("Wave timeline"));
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(false);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    updateDescription();
}

void WaveTimeline::setItems(const QList<Item> &items)
{
    m_items = items;
    std::stable_sort(m_items.begin(), m_items.end(), [](const Item &a, const Item &b) {
        return a.at < b.at || (a.at == b.at && a.name < b.name);
    });
    updateGeometry();
    updateDescription();
    update();
}

void WaveTimeline::setNow(const QDateTime &now)
{
    m_now = now.toUTC();
    updateDescription();
    update();
}

void WaveTimeline::setSelected(const QString &name)
{
    if (m_selected == name)
        return;
    m_selected = name;
    update();
}

QPair<QDateTime, QDateTime> WaveTimeline::span() const
{
    QDateTime from = m_now, to = m_now;
    for (const Item &i : m_items) {
        for (const QDateTime &t : {i.at, i.expire}) {
            if (!t.isValid())
                continue;
            from = std::min(from, t);
            to = std::max(to, t);
        }
    }
    qint64 length = secondsBetween(from, to);
    if (length < 6 * 3600) { // a few hours at least, centred
        const qint64 grow = (6 * 3600 - length) / 2;
        from = from.addSecs(-grow);
        to = to.addSecs(grow);
        length = secondsBetween(from, to);
    }
    const qint64 margin = length / 12;
    return {from.addSecs(-margin), to.addSecs(margin)};
}

int WaveTimeline::xOf(const QDateTime &t, const QRect &plot) const
{
    const auto [from, to] = span();
    const double length = double(std::max<qint64>(1, secondsBetween(from, to)));
    return plot.left() + int(double(secondsBetween(from, t)) / length * plot.width());
}

WaveTimeline::Layout WaveTimeline::layoutFor(const QRect &rect) const
{
    const QFontMetrics fm = fontMetrics();
    const int em = fm.horizontalAdvance(QLatin1Char('M'));
    const int laneHeight = fm.height() + em / 2;
    Layout l;
    l.plot = rect.adjusted(em, fm.height() + em / 2, -em, -(fm.height() + em));
    // Lanes: each wave in the first lane where its dot and name fit after the
    // previous one's; past kMaxLanes they share the last.
    std::array<int, kMaxLanes> laneEnd;
    laneEnd.fill(INT_MIN);
    const int dot = std::max(8, fm.height() * 2 / 3);
    for (const Item &i : m_items) {
        const int x = xOf(i.at, l.plot);
        int end = x + dot + em / 3 + fm.horizontalAdvance(i.name) + em;
        if (i.expire.isValid()) // the bar to the expiry is the wave's too
            end = std::max(end, xOf(i.expire, l.plot) + dot);
        int lane = kMaxLanes - 1;
        for (int k = 0; k < kMaxLanes; ++k) {
            if (laneEnd[size_t(k)] < x - dot) {
                lane = k;
                break;
            }
        }
        laneEnd[size_t(lane)] = std::max(laneEnd[size_t(lane)], end);
        l.lanes.append(lane);
        const int y = l.plot.top() + lane * laneHeight + laneHeight / 2;
        l.markers.append(QRect(x - dot / 2, y - dot / 2, dot, dot));
    }
    return l;
}

QRect WaveTimeline::markerRect(const QString &name) const
{
    const Layout l = layoutFor(rect());
    for (qsizetype i = 0; i < m_items.size(); ++i) {
        if (m_items[i].name == name)
            return l.markers[i];
    }
    return {};
}

int WaveTimeline::itemAt(const QPoint &pos) const
{
    const Layout l = layoutFor(rect());
    const int em = fontMetrics().horizontalAdvance(QLatin1Char('M'));
    for (qsizetype i = m_items.size() - 1; i >= 0; --i) {
        QRect hit = l.markers[i].adjusted(-em / 2, -em / 2,
                                          em / 2 + fontMetrics().horizontalAdvance(m_items[i].name), em / 2);
        if (hit.contains(pos))
            return int(i);
    }
    return -1;
}

QSize WaveTimeline::sizeHint() const
{
    const QFontMetrics fm = fontMetrics();
    const int em = fm.horizontalAdvance(QLatin1Char('M'));
    const int lanes = std::clamp(int(m_items.size()), 2, kMaxLanes);
    return {em * 50, fm.height() * 2 + em * 2 + lanes * (fm.height() + em / 2)};
}

QSize WaveTimeline::minimumSizeHint() const
{
    const QFontMetrics fm = fontMetrics();
    const int em = fm.horizontalAdvance(QLatin1Char('M'));
    return {em * 20, fm.height() * 2 + em * 2 + 2 * (fm.height() + em / 2)};
}

void WaveTimeline::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    QColor muted = pal.color(QPalette::PlaceholderText);
    if (theme::contrastRatio(muted, base) < 3.0)
        muted = text;
    p.fillRect(rect(), base);
    p.setPen(pal.color(QPalette::Mid));
    p.drawRect(rect().adjusted(0, 0, -1, -1));

    const Layout l = layoutFor(rect());
    const QFontMetrics fm = fontMetrics();
    const int em = fm.horizontalAdvance(QLatin1Char('M'));
    const QRect &plot = l.plot;
    const int axisY = plot.bottom() + em / 3;

    // The axis and its ticks, at local hours or days, as many as fit.
    p.setPen(QPen(muted, 1));
    p.drawLine(plot.left(), axisY, plot.right(), axisY);
    const auto [from, to] = span();
    const QLocale locale;
    static constexpr qint64 kSteps[] = {3600,  3 * 3600,  6 * 3600,  12 * 3600,
                                        86400, 2 * 86400, 7 * 86400, 30 * 86400};
    const QString sample = locale.toString(QDateTime::currentDateTime(), QStringLiteral("ddd d MMM HH:mm"));
    const int labelWidth = fm.horizontalAdvance(sample) + em;
    const qint64 length = std::max<qint64>(1, secondsBetween(from, to));
    qint64 step = kSteps[std::size(kSteps) - 1];
    for (qint64 s : kSteps) {
        if (plot.width() * s / length >= labelWidth) {
            step = s;
            break;
        }
    }
    QDateTime tick = from.toLocalTime();
    if (step >= 86400)
        tick = QDateTime(tick.date().addDays(1), QTime(0, 0));
    else
        tick = QDateTime(tick.date(), QTime(tick.time().hour(), 0)).addSecs(3600);
    if (step < 86400) // on multiples of the step in local hours
        while (tick.time().hour() % (step / 3600) != 0)
            tick = tick.addSecs(3600);
    for (int n = 0; tick <= to && n < 200; ++n) {
        const int x = xOf(tick, plot);
        p.setPen(QPen(muted, 1));
        p.drawLine(x, axisY, x, axisY + em / 3);
        const QString label = step >= 86400 ? locale.toString(tick.date(), QStringLiteral("ddd d MMM"))
                                            : locale.toString(tick, QStringLiteral("ddd HH:mm"));
        p.setPen(text);
        p.drawText(QRect(x - labelWidth / 2, axisY + em / 3, labelWidth, fm.height()), Qt::AlignHCenter,
                   label);
        QColor grid = muted;
        grid.setAlpha(60);
        p.setPen(QPen(grid, 1, Qt::DotLine));
        p.drawLine(x, plot.top(), x, axisY);
        tick = step >= 86400 ? tick.addDays(step / 86400) : tick.addSecs(step);
    }

    // Now.
    const QColor nowColour = theme::toneText(Tone::Info, base, pal);
    const int nowX = xOf(m_now, plot);
    p.setPen(QPen(nowColour, 2));
    p.drawLine(nowX, rect().top() + fm.height() + em / 4, nowX, axisY);
    p.drawText(QRect(nowX - em * 4, rect().top() + em / 4, em * 8, fm.height()), Qt::AlignHCenter, tr("Now"));

    // The waves.
    for (qsizetype i = 0; i < m_items.size(); ++i) {
        const Item &it = m_items[i];
        const QRect m = l.markers[i];
        const bool faded = it.state == WaveState::Expired || it.state == WaveState::Cancelled;
        const QColor colour = faded && it.state == WaveState::Expired
                                  ? muted
                                  : theme::toneText(waveStateTone(it.state), base, pal);
        if (it.expire.isValid()) {
            const int ex = xOf(it.expire, plot);
            QColor bar = colour;
            bar.setAlpha(faded ? 90 : 150);
            p.setPen(Qt::NoPen);
            p.setBrush(bar);
            p.drawRoundedRect(QRect(m.center().x(), m.center().y() - m.height() / 6,
                                    std::max(1, ex - m.center().x()), std::max(2, m.height() / 3)),
                              2, 2);
            p.setPen(QPen(colour, 2));
            p.drawLine(ex, m.top(), ex, m.bottom());
        }
        QPen outline(colour, 2);
        if (!it.pushed)
            outline.setStyle(Qt::DashLine);
        p.setPen(outline);
        switch (it.state) {
        case WaveState::Scheduled:
            p.setBrush(base);
            p.drawEllipse(m);
            break;
        case WaveState::Checked:
        case WaveState::Active:
        case WaveState::Expired:
            p.setBrush(colour);
            p.drawEllipse(m);
            break;
        case WaveState::Held: {
            QPainterPath triangle;
            triangle.moveTo(m.center().x(), m.top() - 1);
            triangle.lineTo(m.right() + 1, m.bottom() + 1);
            triangle.lineTo(m.left() - 1, m.bottom() + 1);
            triangle.closeSubpath();
            p.setBrush(base);
            p.drawPath(triangle);
            break;
        }
        case WaveState::Cancelled:
            p.setBrush(Qt::NoBrush);
            p.drawLine(m.topLeft(), m.bottomRight());
            p.drawLine(m.topRight(), m.bottomLeft());
            break;
        }
        if (it.name == m_selected) {
            p.setPen(QPen(pal.color(QPalette::Highlight), 2));
            p.setBrush(Qt::NoBrush);
            p.drawEllipse(m.adjusted(-em / 4, -em / 4, em / 4, em / 4));
        }
        QFont f = font();
        f.setBold(it.name == m_selected);
        f.setStrikeOut(it.state == WaveState::Cancelled);
        p.setFont(f);
        p.setPen(faded ? muted : text);
        p.drawText(QPoint(m.right() + em / 3, m.center().y() + fm.ascent() / 2 - 1), it.name);
        p.setFont(font());
    }
    if (m_items.isEmpty()) {
        p.setPen(muted);
        p.drawText(plot, Qt::AlignCenter, tr("No waves yet."));
    }
    if (hasFocus()) {
        p.setPen(pal.color(QPalette::Highlight));
        p.setBrush(Qt::NoBrush);
        p.drawRect(rect().adjusted(1, 1, -2, -2));
    }
}

void WaveTimeline::mousePressEvent(QMouseEvent *event)
{
    const int i = itemAt(event->position().toPoint());
    if (i >= 0) {
        setSelected(m_items[i].name);
        emit waveClicked(m_items[i].name);
    }
    QWidget::mousePressEvent(event);
}

bool WaveTimeline::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int i = itemAt(help->pos());
        if (i < 0) {
            QToolTip::hideText();
            event->ignore();
            return true;
        }
        const Item &it = m_items[i];
        QString tip = tr("%1: %2, %n user(s), activation %3", nullptr, int(it.users))
                          .arg(it.name, waveStateTitle(it.state), waveTimeText(it.at));
        if (it.expire.isValid())
            tip += tr(", expiry %1").arg(waveTimeText(it.expire));
        QToolTip::showText(help->globalPos(), tip, this);
        return true;
    }
    return QWidget::event(event);
}

QString WaveTimeline::textAlternative() const
{
    if (m_items.isEmpty())
        return tr("No waves yet.");
    QStringList lines;
    for (const Item &it : m_items) {
        QString line =
            tr("Wave %1, %2, %n user(s): activation %3 (%4)", nullptr, int(it.users))
                .arg(it.name, waveStateTitle(it.state), waveTimeText(it.at), waveCountdown(it.at, m_now));
        if (it.expire.isValid())
            line += tr("; expiry %1 (%2)").arg(waveTimeText(it.expire), waveCountdown(it.expire, m_now));
        if (!it.pushed)
            line += tr("; not pushed yet");
        lines << line + QLatin1Char('.');
    }
    return lines.join(QLatin1Char(' '));
}

void WaveTimeline::updateDescription()
{
    setAccessibleDescription(textAlternative());
    if (QAccessible::isActive()) {
        QAccessibleEvent e(this, QAccessible::DescriptionChanged);
        QAccessible::updateAccessibility(&e);
    }
}

} // namespace mailroute
