-- What the measure codes of the facts mean, in Chinese and English: one row per measure
-- (figure, spending_type, funding_source, three_public_item) and code. The codes come from the
-- vocabulary seed that reads the printed headers; the defaults a value takes when its header
-- names no measure (total, all, the document's own figure) are listed too.
with vocabulary as (
    select attribute as measure, value as measure_code, arg_min(name_zh, priority) as name_zh
    from {{ ref('measure_vocabulary') }}
    group by all
),
defaults as (
    select * from (values
        ('spending_type', 'total', '合计（未分支出类型）'),
        ('funding_source', 'all', '全部资金来源'),
        ('three_public_item', 'total', '“三公”经费合计')
    ) as d(measure, measure_code, name_zh)
),
codes as (
    select * from vocabulary
    union all
    select * from defaults
    where (measure, measure_code) not in (select (measure, measure_code) from vocabulary)
)
select
    measure,
    measure_code,
    name_zh,
    replace(measure_code, '_', ' ') as name_en
from codes
