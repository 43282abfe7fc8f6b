"""Dutch places and regions, folded, that stand beside firms' names ("Noordkaap Incasso Zwolle"): a place
only one name mentions weighs little, two names with different places are two firms. The register's own
places are added when the matcher is built."""

_WRITTEN = """
drechtsteden aa en hunze aalsmeer aalten achtkarspelen alblasserdam albrandswaard alkmaar almelo almere alphen aan den rijn
alphen-chaam altena ameland amersfoort amstelveen amsterdam apeldoorn arnhem assen asten baarle-nassau baarn
barendrecht barneveld beek beekdaelen beesel berg en dal bergeijk bergen bergen op zoom berkelland bernheze
best beuningen beverwijk bladel blaricum bloemendaal bodegraven boekel borger-odoorn borne borsele boxtel
breda brielle bronckhorst brummen brunssum bunnik bunschoten buren capelle aan den ijssel capelle castricum
coevorden cranendonck culemborg dalfsen dantumadiel de bilt de fryske marren de ronde venen de wolden delft
den helder deurne deventer diemen dijk en waard dinkelland doesburg doetinchem dongen dordrecht drechterland
drimmelen dronten druten duiven echt-susteren edam-volendam ede eemnes eemsdelta eersel eijsden-margraten
eindhoven elburg emmen enkhuizen enschede epe ermelo etten-leur geertruidenberg geldrop-mierlo gemert-bakel
gennep gilze en rijen goeree-overflakkee goes goirle gooise meren gorinchem gouda groningen gulpen-wittem
haaksbergen haarlem haarlemmermeer halderberge hardenberg harderwijk hardinxveld-giessendam harlingen hattem
heemskerk heemstede heerde heerenveen heerlen heeze-leende heiloo hellendoorn hellevoetsluis helmond
hendrik-ido-ambacht hengelo heumen heusden hillegom hilvarenbeek hilversum hoeksche waard hof van twente
hollands kroon hoogeveen hoorn horst aan de maas houten huizen hulst ijsselstein kaag en braassem kampen
kapelle katwijk kerkrade koggenland krimpen aan den ijssel krimpenerwaard laarbeek land van cuijk landgraaf
landsmeer lansingerland laren leeuwarden leiden leiderdorp leidschendam-voorburg lelystad leudal leusden
lingewaard lisse lochem loon op zand lopik losser maasdriel maasgouw maashorst maassluis maastricht
medemblik meerssen meierijstad meppel middelburg midden-delfland midden-drenthe midden-groningen moerdijk
molenlanden montferland montfoort mook en middelaar neder-betuwe nederweert nieuwegein nieuwkoop nijkerk
nijmegen nissewaard noardeast-fryslan noord-beveland noordenveld noordoostpolder noordwijk nuenen nunspeet
oegstgeest oirschot oisterwijk oldambt oldebroek oldenzaal olst-wijhe ommen oost gelre oosterhout ooststellingwerf
oostzaan opmeer opsterland oss oud-beijerland oude ijsselstreek ouder-amstel oudewater overbetuwe papendrecht
peel en maas pekela pijnacker-nootdorp purmerend putten raalte reimerswaal renkum renswoude reusel-de mierden
rheden rhenen ridderkerk rijssen-holten rijswijk roerdalen roermond roosendaal rotterdam rucphen schagen
scherpenzeel schiedam schiermonnikoog schouwen-duiveland s-hertogenbosch hertogenbosch den bosch simpelveld
sint-michielsgestel sittard-geleen sittard geleen sliedrecht sluis smallingerland soest someren son en breugel
stadskanaal staphorst stede broec steenbergen steenwijkerland stein stichtse vecht sudwest-fryslan terneuzen
terschelling texel teylingen tholen tiel tilburg tubbergen twenterand tynaarlo tytsjerksteradiel uitgeest
uithoorn urk utrecht utrechtse heuvelrug vaals valkenburg aan de geul valkenswaard veendam veenendaal veere
veldhoven velsen venlo venray vijfheerenlanden vlaardingen vlieland vlissingen voerendaal voorne aan zee
voorschoten voorst vught waadhoeke waalre waalwijk waddinxveen wageningen wassenaar waterland weert west betuwe
west maas en waal westerkwartier westerveld westervoort westerwolde westland weststellingwerf wierden wijchen
wijdemeren wijk bij duurstede winterswijk woensdrecht woerden wormerland woudenberg zaanstad zaltbommel zandvoort
zeewolde zeist zevenaar zoetermeer zoeterwoude zuidplas zundert zutphen zwartewaterland zwijndrecht zwolle
den haag haag scheveningen hoofddorp zoeterwoude alphen drachten sneek emmeloord heerhugowaard zaandam
spijkenisse capelle nieuwegein veghel uden boxmeer cuijk oosterbeek ede wijk venlo weert kerkrade geleen
noord zuid oost west midden noordoost noordwest zuidoost zuidwest centrum randstad twente achterhoek veluwe
drenthe friesland fryslan overijssel gelderland flevoland brabant limburg zeeland noordholland zuidholland
holland rijnmond haaglanden gooi kennemerland westfriesland betuwe salland liemers kempen peel rivierenland
noorden zuiden oosten westen centraal oostelijk westelijk noordelijk zuidelijk regio nederland benelux
"""
# Parts of multi-word place names that are also surnames or plain words: not places on their own.
_NOT_ALONE = {"aan", "den", "van", "der", "bij", "op", "het", "en", "de", "berg", "dal", "maas", "waard", "zee",
              "kroon", "beek", "bergen", "best", "echt", "stein", "horst", "peel", "waal", "rijn", "hof", "land",
              "kapelle", "stede", "broec", "ronde", "venen", "wolde", "marren", "gelre", "loon", "zand", "dijk",
              "duurstede", "mook", "middelaar", "holten", "teylingen", "son", "breugel", "buren", "putten",
              "ommen", "epe", "urk", "lisse", "sluis", "soest", "huizen", "laren", "eemnes", "meerssen", "vaals",
              "wijk", "bosch", "haag", "duiven", "rheden", "velsen", "borne", "goes", "tiel", "weert"}
PLACES = frozenset(word for word in _WRITTEN.replace("-", " ").split() if len(word) >= 3 and word not in _NOT_ALONE)

# Places of several words, matched as one ("Windzijl B.V. Den Haag", "Bergen op Zoom - Incasso Koperwacht").
MULTI_WORD_PLACES = tuple(sorted({
    "den haag", "s gravenhage", "den bosch", "s hertogenbosch", "den helder", "bergen op zoom", "alphen aan den rijn",
    "capelle aan den ijssel", "krimpen aan den ijssel", "wijk bij duurstede", "berg en dal", "aa en hunze",
    "horst aan de maas", "valkenburg aan de geul", "west betuwe", "oost gelre", "stede broec", "land van cuijk",
    "hof van twente", "peel en maas", "loon op zand", "son en breugel", "gilze en rijen", "de bilt", "de ronde venen",
    "de wolden", "het hogeland", "hollands kroon", "ouder amstel", "oud beijerland", "goeree overflakkee",
    "hoeksche waard", "voorne aan zee", "nieuw vennep", "noord holland", "zuid holland", "noord brabant",
    "west brabant", "oost brabant", "midden nederland", "noord nederland", "zuid nederland", "oost nederland",
    "west nederland", "rotterdam rijnmond", "regio noord", "regio zuid", "regio oost", "regio west",
}, key=len, reverse=True))
PLACES = PLACES | frozenset(phrase.replace(" ", "") for phrase in MULTI_WORD_PLACES)
