package io.agenthub.usage;

/** How far a day's spend has gone, against the budget thresholds. */
public enum BudgetLevel {
    /** Under every threshold. */
    NORMAL,
    /** Past the info threshold ($100 by default): a notice. */
    INFO,
    /** Past the warning threshold ($250): a warning, and someone should review the spend. */
    WARN,
    /** Past the throttle threshold ($500): an alert; agents slow down and non-essential agents take work slowly. */
    THROTTLE,
    /** Past the halt threshold ($1000): emergency halt until a human acknowledges. */
    HALT
}
