-- 财政拨款收入支出（决算）总表 and 财政拨款收支总表: appropriations by fund (一般公共预算,
-- 政府性基金, 国有资本经营) on both sides. One row per published amount (value_id).
{{ subject_fact('appropriation_by_fund',
                ['m.table_side', 'm.line_item', 'm.printed_line_number', 'm.function_code',
                 'm.spending_type', 'm.funding_source']) }}
