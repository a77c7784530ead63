// Upload CSV, as a person does it: Users ▸ Upload CSV, pick the file, read the
// preview (new / changed / removed) or the errors with their line numbers,
// export the current list first, confirm or cancel. A refused or cancelled
// upload changes nothing.
#include "tests/ui/uitest.h"
#include "ui/areaconfigpage.h"
#include "ui/backgroundstore.h"
#include "ui/csvimportdialog.h"
#include "ui/importpreviewmodel.h"
#include "ui/infobanner.h"

#include "relaycore/csv/usercsvcodec.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QTableView>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestCsvImportDialog final : public QObject
{
    Q_OBJECT

    std::unique_ptr<TempDb> m_db;
    std::unique_ptr<BackgroundStore> m_background;
    std::unique_ptr<AreaConfigPage> m_page;

    CsvImportDialog *upload(const QString &path)
    {
        auto *button = m_page->findChild<QToolButton *>(u"usersMenuButton"_s);
        if (!clickMenuItem(button, m_page->uploadCsvAction()))
            return nullptr;
        QFileDialog *files = nullptr;
        (void)QTest::qWaitFor(
            [&] { return (files = findVisible<QFileDialog>(m_page.get(), u"openCsvDialog"_s)); });
        if (!files || !chooseFile(files, path))
            return nullptr;
        CsvImportDialog *dialog = nullptr;
        (void)QTest::qWaitFor(
            [&] { return (dialog = findVisible<CsvImportDialog>(m_page.get(), u"csvImportDialog"_s)); });
        return dialog;
    }

private slots:
    void init()
    {
        m_db = std::make_unique<TempDb>();
        QVERIFY(m_db->ok());
        // The current list: ann and bob; the file keeps bob (new target), drops ann, adds cat and dan.
        QVERIFY(
            m_db->store()->addUserMapping(Area::Inbound, u"ann@warmsushi.com"_s, u"ann@drypizza.com"_s).ok());
        QVERIFY(
            m_db->store()->addUserMapping(Area::Inbound, u"bob@warmsushi.com"_s, u"bob@drypizza.com"_s).ok());
        m_background = std::make_unique<BackgroundStore>(m_db->path());
        m_page = std::make_unique<AreaConfigPage>(m_db->store(), m_background.get(), Area::Inbound);
        m_page->resize(900, 700);
        m_page->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
    }

    void cleanup()
    {
        m_page.reset();
        m_background.reset();
        m_db.reset();
    }

    void validFilePreviewThenReplace()
    {
        const QString path = m_db->filePath(u"users.csv"_s);
        QVERIFY(writeFile(path,
                          "Source;Target\r\nbob@warmsushi.com;bob.owen@drypizza.com\r\n"
                          "cat@warmsushi.com;cat@drypizza.com\r\ndan@warmsushi.com;dan@drypizza.com\r\n"));
        CsvImportDialog *dialog = upload(path);
        QVERIFY(dialog);
        QTRY_COMPARE(dialog->stage(), CsvImportDialog::Stage::Preview);
        QCOMPARE(dialog->findChild<QLabel *>(u"summaryLabel"_s)->text(),
                 u"<b>2</b> new, <b>1</b> changed, <b>1</b> removed, 0 unchanged."_s);
        auto *warning = dialog->findChild<QLabel *>(u"replaceWarning"_s);
        QVERIFY(warning->isVisible());
        QVERIFY(warning->text().contains(u"replaces the whole Inbound user list"_s));
        QVERIFY(dialog->findChild<QListWidget *>(u"errorList"_s)->isHidden());

        // The preview names the rows, and its model passes the tester.
        ImportPreviewModel *preview = dialog->previewModel();
        QAbstractItemModelTester tester(preview, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(preview->rowCount(), 4);
        QStringList lines;
        for (const ImportPreviewModel::Row &r : preview->rows())
            lines << ImportPreviewModel::changeText(r.change) + u' ' + r.source + u' ' + r.currentTarget +
                         u' ' + r.newTarget;
        QVERIFY(lines.contains(u"Changed bob@warmsushi.com bob@drypizza.com bob.owen@drypizza.com"_s));
        QVERIFY(lines.contains(u"Removed ann@warmsushi.com ann@drypizza.com "_s));
        QVERIFY(lines.contains(u"New cat@warmsushi.com  cat@drypizza.com"_s));

        // Export the current list first: it is the list before the upload.
        const QString backup = m_db->filePath(u"before.csv"_s);
        click(dialog->findChild<QPushButton *>(u"exportFirstButton"_s));
        QFileDialog *save = nullptr;
        QTRY_VERIFY((save = findVisible<QFileDialog>(dialog, u"exportFirstDialog"_s)));
        QVERIFY(chooseFile(save, backup));
        auto *status = dialog->findChild<QLabel *>(u"importStatus"_s);
        QTRY_VERIFY2(status->text().contains(u"exported"_s), qPrintable(status->text()));
        QCOMPARE(readFile(backup), UserCsvCodec::write({{u"ann@warmsushi.com"_s, u"ann@drypizza.com"_s},
                                                        {u"bob@warmsushi.com"_s, u"bob@drypizza.com"_s}}));
        QCOMPARE(m_db->store()->userCount(Area::Inbound), 2); // nothing replaced yet

        click(dialog->findChild<QPushButton *>(u"replaceButton"_s));
        QTRY_VERIFY(!findVisible<CsvImportDialog>(m_page.get(), u"csvImportDialog"_s));
        QCOMPARE(m_db->store()->userCount(Area::Inbound), 3);
        QCOMPARE(m_db->store()->userMappings(Area::Inbound).at(0).target, u"bob.owen@drypizza.com"_s);
        QTRY_COMPARE(m_page->userView()->model()->rowCount(), 3);
        QVERIFY(m_page->banner()->text().contains(u"2 new, 1 changed, 1 removed"_s));
    }

    void invalidFileShowsEveryErrorAndChangesNothing()
    {
        const QString path = m_db->filePath(u"bad.csv"_s);
        QVERIFY(writeFile(
            path, "Source;Target\nbob@warmsushi.com;bob.owen@drypizza.com\nnot-an-address;x@drypizza.com\n"
                  "cat@warmsushi.com\ndan@warmsushi.com;dan@@drypizza.com\n"));
        const QList<UserMapping> before = m_db->store()->userMappings(Area::Inbound);
        CsvImportDialog *dialog = upload(path);
        QVERIFY(dialog);
        QTRY_COMPARE(dialog->stage(), CsvImportDialog::Stage::Refused);
        auto *errors = dialog->findChild<QListWidget *>(u"errorList"_s);
        QVERIFY(errors->isVisible());
        QCOMPARE(errors->count(), 3);
        QVERIFY(errors->item(0)->text().startsWith(u"Line 3: "_s));
        QVERIFY(errors->item(1)->text().startsWith(u"Line 4: "_s));
        QVERIFY(errors->item(2)->text().startsWith(u"Line 5: "_s));
        QVERIFY(dialog->findChild<QPushButton *>(u"replaceButton"_s)->isHidden());
        QVERIFY(dialog->findChild<QLabel *>(u"importStatus"_s)->text().contains(u"nothing was changed"_s));
        click(dialog->findChild<QPushButton *>(u"cancelButton"_s));
        QTRY_VERIFY(!findVisible<CsvImportDialog>(m_page.get(), u"csvImportDialog"_s));
        QCOMPARE(m_db->store()->userMappings(Area::Inbound), before);
    }

    void wrongHeaderIsRefused()
    {
        const QString path = m_db->filePath(u"header.csv"_s);
        QVERIFY(writeFile(path, "Email;Forward\nbob@warmsushi.com;bob@drypizza.com\n"));
        CsvImportDialog *dialog = upload(path);
        QVERIFY(dialog);
        QTRY_COMPARE(dialog->stage(), CsvImportDialog::Stage::Refused);
        QVERIFY(dialog->findChild<QListWidget *>(u"errorList"_s)
                    ->item(0)
                    ->text()
                    .contains(u"header"_s, Qt::CaseInsensitive));
        QTest::keyClick(dialog, Qt::Key_Escape);
        QCOMPARE(m_db->store()->userCount(Area::Inbound), 2);
    }

    void cancelChangesNothing()
    {
        // Big enough that reading it takes a while; cancelled while reading
        // or in the preview, the list stays the same either way.
        QList<UserMapping> rows;
        for (int i = 0; i < 200000; ++i)
            rows.append({u"u%1@warmsushi.com"_s.arg(i), u"u%1@drypizza.com"_s.arg(i)});
        const QString path = m_db->filePath(u"big.csv"_s);
        QVERIFY(writeFile(path, UserCsvCodec::write(rows)));
        CsvImportDialog *dialog = upload(path);
        QVERIFY(dialog);
        QVERIFY(dialog->findChild<QPushButton *>(u"cancelButton"_s)->isEnabled());
        click(dialog->findChild<QPushButton *>(u"cancelButton"_s));
        QTRY_VERIFY(!findVisible<CsvImportDialog>(m_page.get(), u"csvImportDialog"_s));
        // Let the worker finish whatever it was doing, then look.
        QTRY_VERIFY(!m_background->isBusy());
        QCOMPARE(m_db->store()->userCount(Area::Inbound), 2);
        QCOMPARE(m_page->userView()->model()->rowCount(), 2);
    }
};

MAILROUTE_GUI_TEST_MAIN(TestCsvImportDialog)
#include "tst_csvimportdialog.moc"
