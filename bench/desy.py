"""The DESY policy from the seed talk, as HTCondor expands it: shared by the benchmarks.

START is the expansion of the talk's macros (GROUP_NOT_DOWN, DRAIN, IGNORE_MAINTENANCE)
exactly as HTCondor substitutes them (textually, without added parentheses).
"""

GROUP_NOT_DOWN = (
    "(StringListMember(DESyAcctGroup, GROUPS_DOWN) == False && "
    "StringListMember(DESyAcctGroup, GroupsDisabled) == False)"
)
DRAIN = (
    "((InStageDrain == True && (time() + MaxJobRetirementTime < ShutdownTime)) || "
    "InStageDrain == False)"
)
IGNORE_MAINTENANCE = '((IgnoreMaintenance == True) && (Project == "support"))'
START = f"((StartJobs == True) && {GROUP_NOT_DOWN} && {DRAIN}) || {IGNORE_MAINTENANCE}"

ACCOUNTING_GROUP = (
    'ifThenElse(Project =?= undefined, "BIRD_noop", '
    'ifThenElse(IsJupyterJob =?= True, "BIRD_jupyter", '
    'ifThenElse(RequestGPU =!= undefined && userMap("Projects.gpu",Owner) =?= undefined, '
    '"BIRD_noop", ifThenElse(userMap("Projects.noops",Owner) =!= undefined, "BIRD_noop", '
    "Project))))"
)

EXPRESSIONS = [START, ACCOUNTING_GROUP]
