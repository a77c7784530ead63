// The Configuration page of one area: the domain mapping table and, for
// Inbound and Outbound, the user mapping table, each with a filter box.
// Main (GUI) thread.
#pragma once

#include "relaycore/routing/area.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace mailroute {

class ConfigStore;
class DomainMappingModel;
class UserMappingModel;

class AreaConfigPage final : public QWidget
{
    Q_OBJECT
public:
    AreaConfigPage(ConfigStore *store, Area area, QWidget *parent = nullptr);

    Area area() const { return m_area; }
    void reload();

    QTableView *domainView() const { return m_domainView; }
    QTableView *userView() const { return m_userView; }

private:
    void updateCounts();

    ConfigStore *m_store;
    Area m_area;
    DomainMappingModel *m_domainModel = nullptr;
    QSortFilterProxyModel *m_domainProxy = nullptr;
    QTableView *m_domainView = nullptr;
    QLabel *m_domainCount = nullptr;
    QLabel *m_emptyHint = nullptr;
    UserMappingModel *m_userModel = nullptr;
    QTableView *m_userView = nullptr;
    QLabel *m_userCount = nullptr;
};

} // namespace mailroute
