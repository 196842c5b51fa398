select
    document_id,
    table_id,
    row_index,
    column_index,
    text as cell_text,
    is_header,
    {{ source_address_columns() }},
    parser_version
from {{ source('landing', 'cells') }}
