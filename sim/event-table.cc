#include "event-table.h"

#include "result-format.h"

#include "ns3/names.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <stdexcept>

namespace sipbed
{

namespace
{

const char* const kFixedColumns[] = {"t_s", "node", "kind"};

const char*
TypeName(EventTable::ColumnType type)
{
    switch (type)
    {
    case EventTable::ColumnType::INTEGER:
        return "INTEGER";
    case EventTable::ColumnType::REAL:
        return "REAL";
    case EventTable::ColumnType::BOOLEAN:
        return "BOOLEAN";
    case EventTable::ColumnType::TEXT:
        return "TEXT";
    }
    return "?";
}

bool
Accepts(EventTable::ColumnType type, CellValue::Kind kind)
{
    switch (type)
    {
    case EventTable::ColumnType::INTEGER:
        return kind == CellValue::Kind::INTEGER;
    case EventTable::ColumnType::REAL:
        return kind == CellValue::Kind::REAL || kind == CellValue::Kind::INTEGER;
    case EventTable::ColumnType::BOOLEAN:
        return kind == CellValue::Kind::BOOLEAN;
    case EventTable::ColumnType::TEXT:
        return kind == CellValue::Kind::TEXT;
    }
    return false;
}

} // namespace

EventTable::EventTable(std::ostream& out)
    : m_out(out)
{
}

EventTable&
EventTable::DeclareColumn(const std::string& name, ColumnType type)
{
    CheckSnakeCase(name, "event column");
    if (m_headerWritten)
    {
        throw std::logic_error("EventTable: column '" + name +
                               "' declared after the first row; declare every column before "
                               "recording (e.g. in Scenario::Setup)");
    }
    for (const char* fixed : kFixedColumns)
    {
        if (name == fixed)
        {
            throw std::logic_error("EventTable: '" + name + "' is a fixed column");
        }
    }
    if (HasColumn(name))
    {
        throw std::logic_error("EventTable: column '" + name + "' declared twice");
    }
    m_columns.push_back({name, type});
    return *this;
}

bool
EventTable::HasColumn(std::string_view name) const
{
    return std::any_of(
        m_columns.begin(), m_columns.end(), [&](const Column& c) { return c.name == name; });
}

void
EventTable::Record(std::string_view node,
                   std::string_view kind,
                   std::initializer_list<Field> fields)
{
    DoRecord(node, kind, fields);
}

void
EventTable::Record(std::string_view node, std::string_view kind, const std::vector<Field>& fields)
{
    DoRecord(node, kind, fields);
}

void
EventTable::Record(ns3::Ptr<ns3::Node> node,
                   std::string_view kind,
                   std::initializer_list<Field> fields)
{
    DoRecord(NodeLabel(node), kind, fields);
}

template <typename Fields>
void
EventTable::DoRecord(std::string_view node, std::string_view kind, const Fields& fields)
{
    WriteHeader();
    m_cells.assign(m_columns.size(), std::string());
    for (const Field& field : fields)
    {
        size_t i = 0;
        while (i < m_columns.size() && m_columns[i].name != field.column)
        {
            ++i;
        }
        if (i == m_columns.size())
        {
            throw std::logic_error("EventTable: column '" + std::string(field.column) +
                                   "' was not declared (kind '" + std::string(kind) + "')");
        }
        const CellValue::Kind valueKind = field.value.GetKind();
        if (valueKind != CellValue::Kind::EMPTY && !Accepts(m_columns[i].type, valueKind))
        {
            throw std::logic_error("EventTable: column '" + m_columns[i].name + "' is " +
                                   TypeName(m_columns[i].type) + ", got a " +
                                   CellValue::KindName(valueKind) + " value (kind '" +
                                   std::string(kind) + "')");
        }
        m_cells[i] = field.value.ToCsv();
    }
    std::string line = FormatNumber(ns3::Simulator::Now().GetSeconds());
    line += ',';
    line += CsvField(node);
    line += ',';
    line += CsvField(kind);
    for (const std::string& cell : m_cells)
    {
        line += ',';
        line += cell;
    }
    line += '\n';
    m_out << line;
    ++m_rows;
}

std::vector<std::string>
EventTable::GetColumnNames() const
{
    std::vector<std::string> names(std::begin(kFixedColumns), std::end(kFixedColumns));
    for (const Column& column : m_columns)
    {
        names.push_back(column.name);
    }
    return names;
}

uint64_t
EventTable::GetRowCount() const
{
    return m_rows;
}

void
EventTable::Finish()
{
    WriteHeader();
    m_out.flush();
}

void
EventTable::WriteHeader()
{
    if (m_headerWritten)
    {
        return;
    }
    std::string line;
    for (const std::string& name : GetColumnNames())
    {
        line += line.empty() ? "" : ",";
        line += name;
    }
    m_out << line << '\n';
    m_headerWritten = true;
}

std::string
NodeLabel(ns3::Ptr<ns3::Node> node)
{
    if (!node)
    {
        return "";
    }
    const std::string name = ns3::Names::FindName(node);
    return name.empty() ? "node-" + std::to_string(node->GetId()) : name;
}

} // namespace sipbed
