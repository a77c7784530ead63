// One console per database: the first `mailroute` on a database listens on a local socket named after
// the database's canonical path; a second start on the same database asks it
// to show its window (also when it sits in the tray) and exits 0. A console
// on another database has another socket and opens its own window. A socket
// left behind by a console that crashed is noticed (nobody answers) and
// replaced. Main (GUI) thread.
#pragma once

#include <QLockFile>
#include <QObject>
#include <QString>

#include <memory>

class QLocalServer;
class QWidget;

namespace mailroute {

class SingleInstance final : public QObject
{
    Q_OBJECT
public:
    enum class Claim {
        First,          // this process listens now: open the console
        AlreadyRunning, // a console on this database was asked to show itself
        NoAnswer,       // a console listens but did not answer in time
    };

    explicit SingleInstance(const QString &databasePath, QObject *parent = nullptr);
    ~SingleInstance() override;

    // The socket's name (a full path in $XDG_RUNTIME_DIR, else in the
    // temporary folder with the user id in it): the same for every spelling
    // of the same database file.
    static QString serverName(const QString &databasePath);

    // Asks a running console to show itself, or starts listening.
    Claim claim(int answerTimeoutMs = 5000);
    QString serverName() const { return m_name; }

    // On showRequested: `window` leaves the tray or the task bar, comes to
    // the front and is activated (maximized stays maximized).
    void showOnRequest(QWidget *window);

signals:
    // A second start asked for the window.
    void showRequested();

private:
    QString m_name;
    QLocalServer *m_server = nullptr;
    std::unique_ptr<QLockFile> m_lock;
};

} // namespace mailroute
