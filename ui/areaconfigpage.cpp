#include "ui/areaconfigpage.h"

#include "relaycore/store/configstore.h"
#include "ui/domainmappingmodel.h"
#include "ui/usermappingmodel.h"

#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace mailroute {

namespace {

QTableView *makeTable(QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setAlternatingRowColors(true);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    view->horizontalHeader()->setHighlightSections(false);
    return view;
}

} // namespace

AreaConfigPage::AreaConfigPage(ConfigStore *store, Area area, QWidget *parent)
    : QWidget(parent), m_store(store), m_area(area)
{
    auto *layout = new QVBoxLayout(this);

    auto *title = new QLabel(tr("%1 — Configuration").arg(areaTitle(area)), this);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.4);
    f.setBold(true);
    title->setFont(f);
    layout->addWidget(title);

    m_emptyHint = new QLabel(this);
    m_emptyHint->setWordWrap(true);
    m_emptyHint->setObjectName(QStringLiteral("emptyHint"));
    layout->addWidget(m_emptyHint);

    auto *domainBox = new QGroupBox(tr("Domain mappings"), this);
    auto *domainLayout = new QVBoxLayout(domainBox);
    auto *domainFilter = new QLineEdit(domainBox);
    domainFilter->setPlaceholderText(tr("Filter domains"));
    domainFilter->setClearButtonEnabled(true);
    domainLayout->addWidget(domainFilter);
    m_domainModel = new DomainMappingModel(this);
    m_domainProxy = new QSortFilterProxyModel(this);
    m_domainProxy->setSourceModel(m_domainModel);
    m_domainProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_domainProxy->setFilterKeyColumn(-1);
    m_domainView = makeTable(domainBox);
    m_domainView->setObjectName(QStringLiteral("domainTable"));
    m_domainView->setModel(m_domainProxy);
    m_domainView->setSortingEnabled(true);
    m_domainView->sortByColumn(DomainMappingModel::SourceColumn, Qt::AscendingOrder);
    domainLayout->addWidget(m_domainView);
    m_domainCount = new QLabel(domainBox);
    domainLayout->addWidget(m_domainCount);
    layout->addWidget(domainBox, 1);
    connect(domainFilter, &QLineEdit::textChanged, m_domainProxy, &QSortFilterProxyModel::setFilterFixedString);

    if (areaHasUsers(area)) {
        auto *userBox = new QGroupBox(tr("User mappings"), this);
        auto *userLayout = new QVBoxLayout(userBox);
        auto *userFilter = new QLineEdit(userBox);
        userFilter->setPlaceholderText(tr("Filter users"));
        userFilter->setClearButtonEnabled(true);
        userLayout->addWidget(userFilter);
        m_userModel = new UserMappingModel(store, area, this);
        m_userView = makeTable(userBox);
        m_userView->setObjectName(QStringLiteral("userTable"));
        m_userView->setModel(m_userModel);
        userLayout->addWidget(m_userView);
        m_userCount = new QLabel(userBox);
        userLayout->addWidget(m_userCount);
        layout->addWidget(userBox, 2);
        // The store filters (the list may hold a million rows).
        connect(userFilter, &QLineEdit::textChanged, this, [this](const QString &text) {
            m_userModel->setFilter(text.trimmed());
            updateCounts();
        });
    }
    reload();
}

void AreaConfigPage::reload()
{
    m_domainModel->setMappings(m_store->domainMappings(m_area));
    if (m_userModel)
        m_userModel->reload();
    updateCounts();
}

void AreaConfigPage::updateCounts()
{
    const int domains = m_domainModel->rowCount();
    m_domainCount->setText(tr("%n domain mapping(s)", nullptr, domains));
    const qint64 users = m_userModel ? m_store->userCount(m_area) : 0;
    if (m_userCount)
        m_userCount->setText(tr("%1 user mapping(s)").arg(QLocale().toString(users)));
    const bool empty = domains == 0 && users == 0;
    m_emptyHint->setVisible(empty);
    if (empty) {
        m_emptyHint->setText(
            m_userModel ? tr("No rules yet. Start by creating a domain mapping (@old.example → @new.example) "
                             "or by importing a CSV user list (Source;Target), then push the configuration.")
                        : tr("No rules yet. Create a domain mapping (@old.example → @new.example) for a "
                             "domain that moves between tenants, then push the configuration."));
    }
}

} // namespace mailroute
