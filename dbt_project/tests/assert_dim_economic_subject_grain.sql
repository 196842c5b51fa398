-- dim_economic_subject has one row per (scheme, code)
select economic_scheme, economic_code, count(*) as n
from {{ ref('dim_economic_subject') }}
group by all
having count(*) > 1
