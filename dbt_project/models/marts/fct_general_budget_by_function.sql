-- 一般公共预算财政拨款支出（决算）表, 一般公共预算支出表, 一般公共预算基本支出表 (by function)
-- and 财政拨款支出表: general-budget and appropriation expenditure by 功能科目 and type.
-- One row per published amount (value_id).
{{ subject_fact('general_budget_by_function',
                [function_keys(), 'm.row_key', 'm.spending_type', 'm.funding_source']) }}
