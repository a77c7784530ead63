// The Waves page's timeline (issue 15 item 6): scheduled and past migration
// waves on a time axis, drawn with QPainter in the palette's colours
// (ui/themecolours.h), so it reads under a light or a dark theme. Each wave
// is a dot at its activation time, a bar to its expiry when it has one, its
// name beside it; the colour and the shape of the dot say its state (a
// screen never relies on colour alone: held waves are drawn hollow with a
// "!" and cancelled ones crossed). "Now" is a vertical line.
//
// For screen readers the widget's accessible description is the same
// timeline as text (textAlternative()), one sentence per wave; tooltips name
// the wave under the mouse. Clicking a wave selects it (waveClicked).
// Main (GUI) thread.
#pragma once

#include "relaycore/routing/wave.h"
#include "ui/themecolours.h"

#include <QDateTime>
#include <QList>
#include <QRect>
#include <QWidget>

namespace mailroute {

class WaveTimeline final : public QWidget
{
    Q_OBJECT
public:
    struct Item
    {
        QString name;
        QDateTime at;     // UTC
        QDateTime expire; // UTC; invalid: none
        WaveState state = WaveState::Scheduled;
        qsizetype users = 0;
        bool pushed = true; // false: only in the draft
    };

    explicit WaveTimeline(QWidget *parent = nullptr);

    void setItems(const QList<Item> &items);
    const QList<Item> &items() const { return m_items; }
    // The time the "now" line marks (tests and screenshots fix it).
    void setNow(const QDateTime &now);
    void setSelected(const QString &name);
    QString selected() const { return m_selected; }

    // The timeline as text, for screen readers (the accessible description).
    QString textAlternative() const;
    // The span shown (tests): from the earliest time to the latest, with margins.
    QPair<QDateTime, QDateTime> span() const;
    // Where a wave's dot is drawn (tests); empty when it is not shown.
    QRect markerRect(const QString &name) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void waveClicked(const QString &name);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    bool event(QEvent *event) override;

private:
    struct Layout
    {
        QRect plot;           // the area between the margins
        QList<int> lanes;     // per item
        QList<QRect> markers; // per item
    };
    Layout layoutFor(const QRect &rect) const;
    int xOf(const QDateTime &t, const QRect &plot) const;
    int itemAt(const QPoint &pos) const;
    void updateDescription();

    QList<Item> m_items;
    QDateTime m_now;
    QString m_selected;
};

// The tone a wave's state is drawn in (also the list's State column).
Tone waveStateTone(WaveState state);
// "Scheduled", "Checked", ... as the console shows them (translated).
QString waveStateTitle(WaveState state);
// "in 2 d 4 h", "in 1 h 05 min", "in 40 s", "due now", "3 h ago" (translated).
QString waveCountdown(const QDateTime &at, const QDateTime &now);

} // namespace mailroute
