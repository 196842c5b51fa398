-- 支出（决算）表 and 支出总表: expenditure by 功能科目 and type (基本支出, 项目支出, 上缴上级
-- 支出 …). One row per published amount (value_id).
{{ subject_fact('expenditure_by_function',
                [function_keys(), 'm.row_key', 'm.spending_type', 'm.funding_source']) }}
