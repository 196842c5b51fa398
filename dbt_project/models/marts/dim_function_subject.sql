-- 功能分类科目: one row per code that any landed row carries, so every code a fact holds is in
-- this dimension by construction. Level and parent follow from the code (类 3 digits, 款 5,
-- 项 7); the name is the one most documents print (ties: the latest year, then the name
-- itself, so two builds agree), and every printed name is kept, so a code printed under two
-- names shows the conflict. A code whose class is not in the national classification (a
-- figure misread as a code) is kept and flagged `is_known_class = false`.
with names as (
    select * from {{ ref('int_subject_names_by_year') }}
    where code_scheme = 'function'
),
by_name as (
    select code, code_name, sum(documents) as documents, max(fiscal_year) as last_year
    from names group by all
),
classes as (
    select cast(code as varchar) as class_code from {{ ref('function_classes') }}
)
select
    code as function_code,
    first(code_name order by documents desc, last_year desc, code_name) filter (where code_name is not null) as function_name,
    list(code_name order by documents desc, code_name) filter (where code_name is not null) as printed_names,
    count(code_name) > 1 as has_name_conflict,
    case length(code) when 3 then '类' when 5 then '款' when 7 then '项' end as function_level,
    case when length(code) > 3 then left(code, length(code) - 2) end as parent_function_code,
    (select list(distinct n.fiscal_year order by n.fiscal_year) from names n where n.code = b.code) as fiscal_years,
    length(code) in (3, 5, 7) and left(code, 3) in (select class_code from classes) as is_known_class
from by_name as b
group by code
