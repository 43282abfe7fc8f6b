"""Given names common in the Netherlands, folded (lower case, no diacritics): in a collector's name they
stand for a person ("deurwaarder Monique Rutten", "Willem Mulder Incasso"), so they weigh as initials do:
a given name the other name lacks says little, a different one says it is another person."""

_WRITTEN = """
aad aafke aart abdel abdelkader abdullah abel abraham achmed ada adam adri adriaan adrianus agnes ahmed aicha
aisha ajay akke albert alberto alex alexander alexandra alfred ali alice alida alma amber amir amira amy ana
andre andrea andreas anita anja anke ankie anna anne annelies annemarie annemieke anneke annet annette anouk
anthony anton antonie antonius arend ari arie arjan arjen arnold arnoud aron arthur astrid ayse aziz bart bas
bastiaan bea beatrix ben benjamin bernard bert berend bernadette bianca bjorn bob boris bouke bram brenda brian
bruno burak carla carlo carolien caroline cas casper catharina cees celine charlotte chantal chris christiaan
christian christine cindy claire clara claudia coby cor corine cornelis cornelia corrie daan daisy damian dani
daniel daniella danny david dennis derk desiree dewi dick dico diederik dieuwke dik dimitri dina dirk dolf
dominique donald dorien dries dylan edith eduard edwin eelco eline elise elizabeth ella ellen els elsa else
emiel emile emily emma emre eric erik erika ernst esther eva evert ewout fabian fatima fatma femke ferdinand
fleur floor floris frank frans frederik freek frits gabriel geert gerard gerben gerda gerrit gert gertrude
gijs gerrie gilles gonnie guido gustaaf hanna hanneke hans harm harold harry hassan hein hendrik henk henri
henriette herman hilde hugo ibrahim ilse imke inge ingrid irene iris isa isabel ivo jaap jacob jacobus jacqueline
jan jana janine jannes jasper jeroen jesse jet jetse jitske joep johan johanna johannes john jolanda jonas
joop joost jordi jorien joris jos jose josef joseph joyce judith julia julian juliette jurgen justin kai karel
karin kees kevin khalid kim klaas koen kees kim kirsten laura lars lauren leo leon lieke liam lien linda lisa
lotte lucas lucia luuk maarten madelon mandy manon marc marcel marco margreet maria marian marianne marieke
marijke marina mario mark marleen marloes martijn martin martine mathijs maud max maxime mehmet melanie
melissa merel michael michel michiel mila milan miranda mirjam mohamed mohammed monique mustafa myrthe
nadia natasja nick niek niels nienke nina noah noor nora olaf olga onno oscar patrick paul paula peter petra
pieter piet pim quinten rachid ralph ramon rebecca reinier rene richard rick rik rob robert robin roel rogier
roos rosa ruben rudi rudolf rutger ruud sabine said saskia sander sandra sanne sara sarah sebastiaan sem
simon simone sjoerd sofie sophie stefan stephan steven stijn suzanne sven tamara teun theo thijs thomas tijs
tim tineke tobias tom ton tonny ursula valerie vera victor vincent wendy wessel wijnand willem willemijn
wilhelmina wim wouter yara yasmin yvonne youssef yusuf zeynep
ronald ricardo marielle mariette danielle raymond roy jeffrey jordy kelly nicole patricia sharon stephanie rianne
wilma yvette hennie ahmet hatice emine samira karim omar mehdi nadia hakan ozan selin ilona jolien lianne
marjolein marjan marlies ineke hetty gerdien diana edwin noel dennis
chloe zoe lotte lieke fenna evi noa julia sanne lisa eva tess sophie isa nova liv emma mila yara
saar roos lynn fleur femke esmee iris jasmijn anouk britt demi kim maud nina puck romy sem finn luuk
levi daan lucas milan bram jesse thijs ruben stijn jens sven niels wouter jeroen joost mark martijn bas rik
twan tijn mees guus siem jurre hidde olivier teun ties dex joep gijs koen rens vince sil boaz mats luca
noud owen ryan kyan faas cas jayden ayoub mohammed mohamed youssef yassine adam ilias imran amine bilal
hamza omar rayan anas soufiane younes zakaria nourdin mustapha abdelaziz abdel rachid khalid hicham nordin
fatima khadija salma imane nora sara yasmina hafsa meryem zeynep elif ayse emine esra merve busra
kubra tugba ebru hatice sevda derya gul ali ahmet mehmet mustafa murat hasan huseyin ibrahim
ismail emre burak serkan onur kerem cem baris deniz can okan tolga erkan orhan yusuf osman selim
rajesh ravi anand sanjay priya anita sunita shanti devi kishan roshni ashwin sharon priscilla ruth
gerrit hendrik jacobus johannes cornelis adrianus petrus wilhelmus antonius franciscus gerardus theodorus
albertus lambertus martinus nicolaas hermanus bernardus henricus leendert teunis arie kees klaas piet
henk jan joop wim ton ad ben cor dick frits gert hans harry jaap jos kees leo nico paul rob ron ruud theo
wil aad bert dirk evert fred gerard hein herman huib jacques jeroen karel lex louis marcel maurits
reinout remco roel rutger sjaak sjoerd taco tjeerd wessel willem ard arnout barend bauke douwe eelke
fokke gerben hylke jelle jouke lolke marten oane pier sietse sytse tjalling wiebe wietse ype
ria tineke marja marjon monique nicole petra sandra wilma yvonne anja annemiek annemarie astrid
carla caroline claudia dorien elly gerda hanneke ingrid jacqueline janneke jolanda karin
linda loes manon margriet marleen mieke miriam nathalie patricia renate rianne sabine simone tanja
ellen esther hester ilse inge irma janet jenny jet judith karlijn lies marga marian mariska marloes
mirjam natasja nienke paula rosalie sonja suzanne trudy ursula willemijn wendy yolanda
christel chantal danielle debby denise diane evelien francien geertje gonda hennie
jantine jikke joke klazien lammie lenie lydia marijke mariette marion martine

"""
GIVEN_NAMES = frozenset(_WRITTEN.split())  # noqa: SIM905 - a list of 400 quoted names is harder to read

# Surnames common in the Netherlands (without tussenvoegsels), folded. A word of a signal that is such a
# name is that name, not a typo of another one: "Wolters" is not "Wouters", "Jonge" not "Jong".
_SURNAMES = """
jong jansen vries berg dijk bakker janssen visser smit meijer meyer boer mulder groot bos vos peters hendriks
leeuwen dekker brouwer wit dijkstra smits graaf linden kok jacobs haan vermeulen heuvel veen broek bruijn bruin
schouten beek willems heijden mol hoek koster verhoeven prins jong vliet wijk sanders bosch lange maas dam
wal klein kuipers hoekstra hermans koning schipper jonge huisman vlies kramer postma evers bergh wouters
wolters vink kuijpers gerritsen koopman molenaar boersma peeters willemsen timmermans bosman vermeer verbeek
dijkman hofman lubbers martens scholten kaya yilmaz jonker kuiper bouma stam haas zwart kooij laan groen
blom brink hoekman vos wijnen goossens claassen klaassen michels aarts baars bennink bergsma blok bouwman
brands bril dam deckers dirks driessen eijk feenstra franken geerts gijsbers goedhart graaf groenewegen hamers
hartman heerkens hoogendoorn hulst jager jaspers kamphuis keizer kempen kersten kleijn knoops kroon kruijt
lammers leenders lindeboom loon luijten maassen meulen mertens meeuwsen nijhuis noordam oosterhout otten
pauw pol poel poortman raaijmakers ramaker reinders rietveld roos rutten schaik schoenmakers sluis steenbergen
stevens thijssen tol vaessen valk veenstra velde velthuis verbruggen verheij verhagen verschuren vlaar vogel
voskuilen vroom wagenaar weijers wessels westra wiersma wijnands wijers zandbergen zijlstra zuidema
rooij rooy rijn heuvel broek linden laan pol brink wal heijden velde zanden bosch graaf haan ridder leeuw wit
bruijn bruin boer vries jong groot berg meer dijk veen vliet beek wijk dam hoek kamp horst steen ham ende
schouten willems hoekstra verhoeven koster huisman peeters kuipers kuiper kramer scholten martens vink
jacobs dekker brouwer dijkstra smits smit visser mulder bakker janssen jansen hendriks peters vermeulen
kok prins blom maas post postma meijer meyer boer bos vos gerritsen evers claassen bosman houten
haverkamp koning mertens verschuren kroon arts pronk coenen goossens hakkert bleeker kemper dinkel
brink zanten essen eck dongen ommen oosten wetering poel sande velden leur tol geest hout donk
""".split()  # noqa: SIM905 - two hundred quoted names are harder to read
SURNAMES = frozenset(_SURNAMES)  # noqa: SIM905
