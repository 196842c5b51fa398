select
    source_file,
    document_id,
    outcome as run_outcome,
    reason_code,
    reason,
    tables as table_count,
    values as value_count,
    warnings,
    input_format
from {{ source('landing', 'run_report') }}
