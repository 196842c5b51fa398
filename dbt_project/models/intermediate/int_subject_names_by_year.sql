-- Every classification code printed in a row of a landed table, with the name printed beside
-- it and the year, whether or not the row has amounts. One row per (scheme, code, name, year).
with rows_ as (
    select r.*, d.fiscal_year
    from {{ ref('stg_landing__rows') }} as r
    join {{ ref('stg_landing__documents') }} as d using (document_id)
),
coded as (
    select 'function' as code_scheme, function_code as code, line_item as code_name, fiscal_year, document_id from rows_ where function_code is not null
    union all
    select 'economic', economic_code, line_item, fiscal_year, document_id from rows_ where economic_code is not null
    union all
    select 'gov_economic', gov_economic_code, null, fiscal_year, document_id from rows_ where gov_economic_code is not null
)
select code_scheme, code, code_name, fiscal_year, count(distinct document_id) as documents
from coded
group by all
