-- One row per table found in a landed document, recognised or not.
select
    table_id,
    document_id,
    table_ordinal,
    template_id,
    template_family,
    recognised_by,
    printed_title,
    printed_numbering,
    amount_unit,
    first_page,
    first_line,
    row_count,
    column_count,
    header_rows,
    value_count,
    is_empty,
    is_announced_empty,
    project_name,
    supervising_department,
    implementing_unit,
    table_warnings
from {{ ref('stg_landing__tables') }}
