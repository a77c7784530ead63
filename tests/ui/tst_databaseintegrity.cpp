// The database is opened by SQLite only, whatever the console's file dialogs
// list (issue: Qt's file dialog sniffed cfg.sqlite-wal's MIME type, and the
// close() dropped SQLite's POSIX locks; mailroutectl then deleted the WAL the
// console still wrote into). The reproduction, as a person does it: Upload
// CSV, type a path into the database's folder so the dialog and its completer
// list cfg.sqlite, -wal and -shm with "All files"; then mailroutectl opens and
// closes the database; the console's next write is visible to mailroutectl
// and no descriptor of this process points at a deleted database file.
// inotify counts read-only opens of the database's files in the folder
// (IN_CLOSE_NOWRITE: SQLite only ever opens them read-write);
// tests/ui/strace_filedialog.sh runs the same test under strace -f.
#include "tests/ui/uitest.h"
#include "ui/areaconfigpage.h"
#include "ui/mainwindow.h"

#include "relaycore/store/databasefileguard.h"

#include <QFile>
#include <QFileSystemModel>
#include <QProcess>

#include <sys/inotify.h>
#include <unistd.h>

#include <array>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

// Open/close events of the files in one folder, read without blocking.
class FolderWatch final
{
public:
    explicit FolderWatch(const QString &folder)
    {
        m_fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (m_fd >= 0)
            m_ok = ::inotify_add_watch(m_fd, QFile::encodeName(folder).constData(),
                                       IN_OPEN | IN_CLOSE_NOWRITE | IN_CLOSE_WRITE) >= 0;
    }
    ~FolderWatch()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Q_DISABLE_COPY_MOVE(FolderWatch)

    bool ok() const { return m_ok; }

    // "open NAME" / "close-nowrite NAME" / "close-write NAME" since the last call.
    QStringList drain()
    {
        QStringList events;
        alignas(inotify_event) std::array<char, 64 * 1024> buffer{};
        for (;;) {
            const ssize_t n = ::read(m_fd, buffer.data(), buffer.size());
            if (n <= 0)
                break;
            for (ssize_t at = 0; at < n;) {
                const auto *e = reinterpret_cast<const inotify_event *>(buffer.data() + at);
                const QString name = e->len ? QFile::decodeName(e->name) : QString();
                if (e->mask & IN_OPEN)
                    events << u"open "_s + name;
                if (e->mask & IN_CLOSE_NOWRITE)
                    events << u"close-nowrite "_s + name;
                if (e->mask & IN_CLOSE_WRITE)
                    events << u"close-write "_s + name;
                at += ssize_t(sizeof(inotify_event)) + e->len;
            }
        }
        return events;
    }

private:
    int m_fd = -1;
    bool m_ok = false;
};

struct CtlRun
{
    int code = -1;
    QString out;
    QString err;
};

CtlRun mailroutectl(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(MAILROUTECTL_PATH), args);
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished(5000);
        return {};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

} // namespace

class TestDatabaseIntegrity final : public QObject
{
    Q_OBJECT
private slots:
    void uploadDialogInTheDatabaseFolder()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString db = dir.filePath(u"cfg.sqlite"_s);
        ConfigStore store(db);
        QVERIFY(store.open().ok());
        QVERIFY(store.addDomainMapping(Area::Relay, u"before.example"_s, u"after.example"_s).ok());
        QVERIFY(QFileInfo::exists(db + u"-wal"_s));
        QVERIFY(QFileInfo::exists(db + u"-shm"_s));
        {
            QFile csv(dir.filePath(u"users.csv"_s));
            QVERIFY(csv.open(QIODevice::WriteOnly));
            csv.write("Source;Target\r\n");
        }

        MainWindow window(&store);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        AreaConfigPage *page = nullptr;
        const QList<AreaConfigPage *> pages = window.findChildren<AreaConfigPage *>();
        for (AreaConfigPage *p : pages) {
            if (p->area() == Area::Inbound)
                page = p;
        }
        QVERIFY(page);
        QTest::qWait(200); // the window's own connections are open

        FolderWatch watch(dir.path());
        QVERIFY(watch.ok());
        watch.drain();

        page->uploadCsvAction()->trigger();
        QFileDialog *files = nullptr;
        QVERIFY(
            QTest::qWaitFor([&] { return (files = findVisible<QFileDialog>(page, u"openCsvDialog"_s)); }));
        auto *edit = files->findChild<QLineEdit *>(u"fileNameEdit"_s);
        QVERIFY(edit);
        // Every file, not only *.csv, as someone looking for the file would.
        files->selectNameFilter(files->nameFilters().constLast());
        // Typing the folder: the completer lists it, Return opens it.
        edit->setFocus();
        QTest::keyClicks(edit, dir.path() + u'/');
        QTest::keyClick(edit, Qt::Key_Return);
        QTest::keyClicks(edit, u"cfg"_s);
        auto *model = files->findChild<QFileSystemModel *>();
        QVERIFY(model);
        // Listed with their type and icon (what the MIME look-up fills in).
        for (const QString &name : {u"cfg.sqlite"_s, u"cfg.sqlite-wal"_s, u"cfg.sqlite-shm"_s}) {
            const QString path = dir.filePath(name);
            QVERIFY2(QTest::qWaitFor([&] {
                         const QModelIndex i = model->index(path);
                         return i.isValid() && !model->type(i).isEmpty();
                     }),
                     qPrintable(name));
            (void)model->data(model->index(path), Qt::DecorationRole);
        }
        QTest::qWait(500); // painting, the completer's pop-up, late gatherer rounds

        const QStringList events = watch.drain();
        QStringList foreign;
        for (const QString &e : events) {
            if (e.startsWith(u"close-nowrite cfg.sqlite"_s))
                foreign << e;
        }
        QVERIFY2(foreign.isEmpty(), qPrintable(u"read-only opens of the database's files (not SQLite's): "_s +
                                               foreign.join(u", "_s)));
        files->reject();

        // Another process opens and closes the database...
        const CtlRun listed = mailroutectl({u"--db"_s, db, u"domains"_s, u"list"_s, u"--area"_s, u"relay"_s});
        QVERIFY2(listed.code == 0, qPrintable(listed.err));
        QVERIFY2(listed.out.contains(u"@before.example"_s), qPrintable(listed.out));
        // ...the WAL the console has open is still the one on disk...
        QVERIFY2(DatabaseFileGuard::deletedOpenFiles(db).isEmpty(),
                 qPrintable(DatabaseFileGuard::deletedOpenFiles(db).join(u", "_s)));
        // ...and the console's next write is what the other process sees.
        const Status written = store.addDomainMapping(Area::Relay, u"seen.example"_s, u"after.example"_s);
        QVERIFY2(written.ok(), qPrintable(written.error));
        const CtlRun after = mailroutectl({u"--db"_s, db, u"domains"_s, u"list"_s, u"--area"_s, u"relay"_s});
        QVERIFY2(after.code == 0, qPrintable(after.err));
        QVERIFY2(after.out.contains(u"@seen.example"_s), qPrintable(after.out));
        QVERIFY(DatabaseFileGuard::deletedOpenFiles(db).isEmpty());
    }
};

MAILROUTE_GUI_TEST_MAIN(TestDatabaseIntegrity)
#include "tst_databaseintegrity.moc"
