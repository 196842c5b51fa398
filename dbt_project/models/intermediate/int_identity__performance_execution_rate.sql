-- 执行率 = 全年执行数 / 全年预算数, compared in 元: the execution against the budget times the
-- printed rate. The tolerance is what the printed precisions allow: half a unit of the
-- execution's last digit, plus the budget times half a unit of the rate's last digit, plus
-- the rate times half a unit of the budget's last digit. One row per funding line that
-- prints a budget and an execution; a line without its 执行率 is not applicable.
{{ by_document() }}
with lines as (
    select * from {{ ref('int_performance_funding_lines') }}
    where budget is not null and executed is not null and budget <> 0
)
select
    'performance_execution_rate' as identity_id,
    document_id,
    table_id,
    funding_line || ': 全年执行数 = 全年预算数 × 执行率' as location,
    executed as left_amount,
    cast(budget * rate / 100 as decimal(18, 2)) as right_amount,
    2 as n_parts,
    cast(0.5 * power(10, -executed_decimals) * executed_multiplier
         + abs(budget) * 0.5 * power(10, -coalesce(rate_decimals, 0)) / 100
         + abs(coalesce(rate, 0)) / 100 * 0.5 * power(10, -budget_decimals) * budget_multiplier
         + 0.005 as decimal(18, 4)) as tolerance,
    list_filter([executed_value_id, budget_value_id, rate_value_id], lambda x: x is not null) as source_value_ids,
    list_filter([executed_address, budget_address, rate_address], lambda x: x is not null) as source_addresses
from lines
