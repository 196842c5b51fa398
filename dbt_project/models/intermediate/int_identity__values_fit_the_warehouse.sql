-- A printed figure too large for the warehouse's money type (decimal(18, 2)): the ingest lands
-- the cell with its printed text and no number (`value_warning = 'value_out_of_range'`), and
-- the document lands; this reports each such cell as a finding. One row per such value.
{{ by_document() }}
select
    'values_fit_the_warehouse' as identity_id,
    v.document_id,
    v.table_id,
    coalesce(v.row_label, '') || ' / ' || coalesce(v.column_path, '') || ': ' || v.raw_text as location,
    'printed_value' as compared,
    null::decimal(18, 2) as left_amount,
    null::decimal(18, 2) as right_amount,
    1 as n_parts,
    0::decimal(18, 4) as tolerance,
    [v.value_id] as source_value_ids,
    [v.source_address] as source_addresses,
    'violated' as given_outcome
from {{ touched_rows_of('int_amounts_located') }} as v
where v.value_warning = 'value_out_of_range'
