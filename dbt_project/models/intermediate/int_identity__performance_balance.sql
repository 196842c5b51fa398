-- 资金结余 = 全年预算数 − 全年执行数 on each funding line of a project self-evaluation form.
-- The right side is a difference of two rounded figures (n = 2). One row per funding line
-- that prints a budget and an execution; a line without its 资金结余 is not applicable.
{{ by_document() }}
with lines as (
    select * from {{ ref('int_performance_funding_lines') }}
    where budget is not null and executed is not null
)
select
    'performance_balance' as identity_id,
    document_id,
    table_id,
    funding_line || ': 资金结余 = 全年预算数 − 全年执行数' as location,
    balance as left_amount,
    budget - executed as right_amount,
    2 as n_parts,
    {{ rounding_tolerance('2', 'greatest(budget_decimals, executed_decimals, coalesce(balance_decimals, 0))',
                          'greatest(budget_multiplier, executed_multiplier, coalesce(balance_multiplier, 1))') }} as tolerance,
    list_filter([balance_value_id, budget_value_id, executed_value_id], lambda x: x is not null) as source_value_ids,
    list_filter([balance_address, budget_address, executed_address], lambda x: x is not null) as source_addresses
from lines
