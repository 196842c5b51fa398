-- 功能分类科目: one row per code. Level and parent follow from the code (类 3 digits, 款 5,
-- 项 7); the name is the one most documents print, and every printed name is kept, so a
-- code printed under two names shows the conflict.
with names as (
    select * from {{ ref('int_subject_names_by_year') }}
    where code_scheme = 'function' and code_name is not null
),
by_name as (
    select code, code_name, sum(documents) as documents from names group by all
)
select
    code as function_code,
    arg_max(code_name, documents) as function_name,
    list(code_name order by documents desc, code_name) as printed_names,
    count(*) > 1 as has_name_conflict,
    case length(code) when 3 then '类' when 5 then '款' when 7 then '项' end as function_level,
    case when length(code) > 3 then left(code, length(code) - 2) end as parent_function_code,
    (select list(distinct n.fiscal_year order by n.fiscal_year) from names n where n.code = b.code) as fiscal_years
from by_name as b
group by code
