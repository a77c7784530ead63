// The Waves page (issue 15 item 6): the migration waves of the draft and of
// the active generation, as a timeline (WaveTimeline, with its text
// alternative) above a list of name, state, activation, countdown, expiry
// and counts, and the selected wave's details (its check, its note, its
// report of the first hour after activation). Buttons: Create… (a CSV or a
// migration batch file, with the upload dialog's preview: WaveCreateDialog),
// Check now (WaveChecker, then WaveStore::recordCheck), Apply now and Cancel
// (WaveStore, each asks first), and Push… (a wave acts once pushed).
// Everything that reads or writes the store runs on the BackgroundStore's
// thread; the check runs asynchronously on the GUI thread's event loop.
// Main (GUI) thread.
#pragma once

#include "relaycore/routing/wave.h"

#include <QDateTime>
#include <QList>
#include <QPair>
#include <QWidget>

#include <functional>

class QLabel;
class QMessageBox;
class QPlainTextEdit;
class QPushButton;
class QTimer;
class QTreeWidget;

namespace mailroute {

class BackgroundStore;
class ConfigStore;
class InfoBanner;
class WaveChecker;
class WaveTimeline;

class WavesPage final : public QWidget
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        StateColumn,
        AtColumn,
        CountdownColumn,
        ExpireColumn,
        UsersColumn,
        ColumnCount
    };

    // `nameserver`: MAILROUTE_NAMESERVER for the checks (empty: the system's resolver).
    explicit WavesPage(BackgroundStore *background, const QString &nameserver = {},
                       QWidget *parent = nullptr);
    ~WavesPage() override;

    // Re-reads the waves on the store's thread; reloaded() follows, then `then`.
    void reload(std::function<void()> then = {});
    bool isLoading() const { return m_loading > 0; }
    bool isBusy() const; // a check, an apply or a cancel runs
    // The clock of the countdowns and of Apply/Cancel (tests, screenshots).
    void setClock(std::function<QDateTime()> nowUtc);

    void selectWave(const QString &name);
    QString selectedWave() const;
    const QList<WaveInfo> &waves() const { return m_waves; }

    // The buttons' actions (Apply and Cancel ask first, non-blocking).
    void createWave();
    void checkNow();
    void applyNow();
    void cancelWave();

    WaveTimeline *timeline() const { return m_timeline; }
    QTreeWidget *list() const { return m_list; }
    QPlainTextEdit *details() const { return m_details; }
    InfoBanner *banner() const { return m_banner; }

signals:
    void reloaded();
    // A wave made a generation or changed the draft: the window refreshes.
    void changed();
    void pushRequested();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void showWaves(const QList<WaveInfo> &waves);
    void updateCountdowns();
    void updateButtons();
    void showDetails();
    const WaveInfo *selectedInfo() const;
    QDateTime now() const;
    void finishAction(const QString &error, const QString &success);
    // Apply now and Cancel: an error ("" if none) and the generation made (0 if none).
    using ActionResult = QPair<QString, qint64>;
    // Opens `box`; when it is answered with `yes`, runs work(store, now) on
    // the store's thread (work captures values only), then done(its result).
    void runWhenConfirmed(QMessageBox *box, QPushButton *yes,
                          std::function<ActionResult(ConfigStore &, const QDateTime &)> work,
                          std::function<void(const ActionResult &)> done);

    BackgroundStore *m_background;
    QString m_nameserver;
    std::function<QDateTime()> m_now;
    QList<WaveInfo> m_waves;
    int m_loading = 0;
    int m_running = 0;
    WaveChecker *m_checker = nullptr;
    QString m_checking;  // the wave being checked
    QString m_reportFor; // the wave whose report is shown
    QString m_reportText;

    InfoBanner *m_banner;
    QLabel *m_intro;
    WaveTimeline *m_timeline;
    QTreeWidget *m_list;
    QPlainTextEdit *m_details;
    QPushButton *m_create;
    QPushButton *m_check;
    QPushButton *m_apply;
    QPushButton *m_cancel;
    QPushButton *m_push;
    QTimer *m_tick;
};

} // namespace mailroute
