#ifndef SIPBED_SIM_EVENT_TABLE_H
#define SIPBED_SIM_EVENT_TABLE_H

#include "cell-value.h"

#include "ns3/node.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace sipbed
{

/**
 * events.csv: one row per thing that happened, `t_s,node,kind` and then the
 * scenario's own columns.
 *
 * The extra columns are a schema: each is declared once, with its type, before
 * the first row is recorded (normally in Scenario::Setup, or by a sim
 * component when it is created), and every row has every column, left empty
 * where a row gives no value. So events.csv is rectangular, its header does
 * not depend on what happened during the run, and pandas reads typed columns.
 * Declaring a column after the first row, recording an undeclared column or a
 * value of the wrong type throws std::logic_error (a bug in the scenario).
 *
 * \code
 *   EventTable& events = context.GetEvents();
 *   events.DeclareColumn("flow", EventTable::ColumnType::INTEGER);
 *   events.DeclareColumn("cause", EventTable::ColumnType::TEXT);
 *   ...
 *   events.Record("ua-3", "flow_failed", {{"flow", 2}, {"cause", "keepalive_timeout"}});
 * \endcode
 *
 * t_s is the simulated time of the call (Simulator::Now()), written in the
 * shortest round-trip form like every number (result-format.h). Rows are
 * streamed to the output as they are recorded, so large runs do not hold them
 * in memory.
 */
class EventTable
{
  public:
    /// Type of an extra column; checked on every Record.
    enum class ColumnType
    {
        INTEGER, //!< integers (any C++ integer type)
        REAL,    //!< numbers (integers are accepted and written as such)
        BOOLEAN, //!< true/false
        TEXT     //!< text, quoted when needed (RFC 4180)
    };

    /// One extra value of a row: `{"column", value}`.
    struct Field
    {
        std::string_view column; //!< a declared column
        CellValue value;         //!< its value
    };

    /**
     * \param out where the CSV goes; must outlive the table. Nothing is
     *        written before the first Record or Finish.
     */
    explicit EventTable(std::ostream& out);

    /**
     * Declare an extra column (after t_s,node,kind, in declaration order).
     *
     * \param name snake_case, unique, not t_s/node/kind
     * \param type what Record accepts for it
     * \return *this, to chain declarations
     */
    EventTable& DeclareColumn(const std::string& name, ColumnType type);

    /// \return whether \p name is declared (extra columns only).
    bool HasColumn(std::string_view name) const;

    /**
     * Append one row at the current simulated time.
     *
     * \param node who saw it: a node's name ("ua-12", "nat-3", "registrar")
     * \param kind what happened, snake_case by convention ("flow_failed")
     * \param fields values for some declared columns; the others stay empty
     */
    void Record(std::string_view node,
                std::string_view kind,
                std::initializer_list<Field> fields = {});

    /// Same, with fields built at run time.
    void Record(std::string_view node, std::string_view kind, const std::vector<Field>& fields);

    /// Same, naming the node with NodeLabel().
    void Record(ns3::Ptr<ns3::Node> node,
                std::string_view kind,
                std::initializer_list<Field> fields = {});

    /// \return the header: t_s, node, kind, then the extra columns.
    std::vector<std::string> GetColumnNames() const;

    /// \return the number of rows recorded.
    uint64_t GetRowCount() const;

    /// Write the header if no row did, and flush. Called by the runner at the end.
    void Finish();

  private:
    /// One declared extra column.
    struct Column
    {
        std::string name; //!< header name
        ColumnType type;  //!< accepted values
    };

    /// Write the header line once.
    void WriteHeader();

    /// Shared body of the Record overloads.
    template <typename Fields>
    void DoRecord(std::string_view node, std::string_view kind, const Fields& fields);

    std::ostream& m_out;              //!< the CSV output
    std::vector<Column> m_columns;    //!< extra columns, in order
    std::vector<std::string> m_cells; //!< scratch row, one per extra column
    uint64_t m_rows{0};               //!< rows written
    bool m_headerWritten{false};      //!< header line is out
};

/**
 * A readable, stable name for a node in results: its ns-3 Names name when it
 * has one (Names::Add), otherwise "node-<id>". Node ids restart from 0 in each
 * run, so both are reproducible.
 */
std::string NodeLabel(ns3::Ptr<ns3::Node> node);

} // namespace sipbed

#endif // SIPBED_SIM_EVENT_TABLE_H
